using System.Globalization;
using System.Text;

namespace Qraft.Storage;

/// <summary>
/// Makes any string usable as a PartitionKey or RowKey. Table keys forbid '/', '\', '#', '?' and control characters;
/// those are percent-encoded, and so is '%' itself, which keeps the mapping reversible: two different inputs never
/// share a key. Ordinary emails pass through unchanged, so key order is their order.
/// </summary>
internal static class TableKeys
{
    public static string Escape(string value)
    {
        if (!value.Any(MustEscape))
        {
            return value;
        }

        var key = new StringBuilder(value.Length + 8);
        foreach (var character in value)
        {
            if (MustEscape(character))
            {
                // Every character escaped here is below U+00A0, so two hex digits always suffice.
                key.Append('%').Append(((int)character).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                key.Append(character);
            }
        }

        return key.ToString();
    }

    private static bool MustEscape(char character) =>
        character is '/' or '\\' or '#' or '?' or '%' || char.IsControl(character);
}
