using System.Globalization;
using System.Text.Json;
using Qraft.Security;

namespace Qraft.Users;

public sealed record ImportReport(int Imported, int Unchanged, IReadOnlyList<string> Rejected);

/// <summary>
/// Moves the original service's accounts over from Django's <c>dumpdata</c> JSON of its user model: each keeps its
/// primary key, email, hash, join and last-login times, so it logs in with its old password (and gets an upgraded
/// hash on that first login). Running it again changes nothing; rows it cannot take are reported, never guessed at.
/// </summary>
public sealed class DjangoUserImport(IUserStore users)
{
    public async Task<ImportReport> ImportAsync(Stream dumpdata, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(dumpdata, cancellationToken: cancellationToken);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("Expected the JSON array that 'manage.py dumpdata <app>.<User model>' writes.");
        }

        int imported = 0, unchanged = 0;
        var rejected = new List<string>();
        foreach (var (row, index) in document.RootElement.EnumerateArray().Select((row, index) => (row, index)))
        {
            var (user, problem) = Parse(row);
            var label = $"row {index} (pk {Pk(row) ?? "?"})";
            if (user is null)
            {
                rejected.Add($"{label}: {problem}");
                continue;
            }

            var existing = await users.FindAsync(user.Email, cancellationToken);
            if (existing is not null)
            {
                if (existing.Id == user.Id)
                {
                    unchanged++;
                }
                else
                {
                    rejected.Add($"{label}: the email belongs to another account (id {existing.Id}).");
                }

                continue;
            }

            if (await users.TryAddAsync(user, cancellationToken))
            {
                imported++;
            }
            else
            {
                rejected.Add($"{label}: the email was taken while importing.");
            }
        }

        return new ImportReport(imported, unchanged, rejected);
    }

    private static (User? User, string? Problem) Parse(JsonElement row)
    {
        if (row.ValueKind != JsonValueKind.Object || !row.TryGetProperty("fields", out var fields) || fields.ValueKind != JsonValueKind.Object)
        {
            return (null, "not a dumpdata object with \"fields\".");
        }

        if (Pk(row) is not { } id)
        {
            return (null, "no primary key.");
        }

        if (!EmailAddress.TryNormalize(Text(fields, "email"), out var email, out var emailProblem))
        {
            return (null, emailProblem);
        }

        if (Text(fields, "password") is not { Length: > 0 } hash)
        {
            return (null, "no password hash.");
        }

        if (!TryTime(fields, "date_joined", out var joined) || joined is null)
        {
            return (null, "no valid date_joined.");
        }

        if (!TryTime(fields, "last_login", out var lastLogin))
        {
            return (null, "last_login is not a date.");
        }

        var active = !fields.TryGetProperty("is_active", out var isActive) || isActive.ValueKind != JsonValueKind.False;
        return (new User(id, email, hash, joined.Value, lastLogin, active), null);
    }

    private static string? Pk(JsonElement row) =>
        row.ValueKind == JsonValueKind.Object && row.TryGetProperty("pk", out var pk)
            ? pk.ValueKind switch
            {
                JsonValueKind.Number or JsonValueKind.String => pk.ToString(),
                _ => null,
            }
            : null;

    private static string? Text(JsonElement fields, string name) =>
        fields.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Django writes aware datetimes as ISO 8601 ("2022-02-11T04:22:55.155Z"); null means never.</summary>
    private static bool TryTime(JsonElement fields, string name, out DateTimeOffset? time)
    {
        time = null;
        if (!fields.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            time = parsed.ToUniversalTime();
            return true;
        }

        return false;
    }
}
