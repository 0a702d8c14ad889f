using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Qraft.Security;

/// <summary>
/// Email validation and normalization for sign-up and log-in. The local part keeps its case (mailboxes may be
/// case-sensitive); the domain is lower-cased and IDN-canonicalized; <see cref="Key"/> gives the case-insensitive
/// form that uniqueness is enforced on.
/// </summary>
public static class EmailAddress
{
    /// <summary>Django's <c>EmailValidator</c> message.</summary>
    public const string InvalidMessage = "Enter a valid email address.";

    private const int MaxLength = 254;
    private const int MaxLocalPartLength = 64;
    private const int MaxDomainLength = 253;
    private const int MaxLabelLength = 63;

    // RFC 5322 atext, the characters Django's EmailValidator allows in an unquoted local part.
    private const string LocalPartSymbols = "!#$%&'*+-/=?^_`{|}~";

    public static bool TryNormalize(
        string? raw, [NotNullWhen(true)] out string? email, [NotNullWhen(false)] out string? error)
    {
        email = null;
        error = InvalidMessage;
        var trimmed = raw?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxLength)
        {
            return false;
        }

        var at = trimmed.IndexOf('@');
        if (at <= 0
            || at != trimmed.LastIndexOf('@')
            || !IsValidLocalPart(trimmed[..at])
            || TryCanonicalizeDomain(trimmed[(at + 1)..]) is not { } domain)
        {
            return false;
        }

        var local = trimmed[..at];
        var normalized = $"{local}@{domain.Unicode}";
        if (normalized.Length > MaxLength || local.Length + 1 + domain.Ascii.Length > MaxLength)
        {
            return false;
        }

        email = normalized;
        error = null;
        return true;
    }

    /// <summary>
    /// The one form two addresses are compared in, wherever an account is looked up by email (its storage key, its
    /// throttle count, the per-replica account cache): <c>A@x.io</c> and <c>a@X.io</c> are one account.
    /// </summary>
    public static string Key(string normalizedEmail)
    {
        ArgumentNullException.ThrowIfNull(normalizedEmail);
        return normalizedEmail.ToLowerInvariant();
    }

    private static bool IsValidLocalPart(string local) =>
        local.Length is > 0 and <= MaxLocalPartLength
        && local[0] != '.'
        && local[^1] != '.'
        && !local.Contains("..", StringComparison.Ordinal)
        && local.All(c => char.IsAsciiLetterOrDigit(c) || c == '.' || LocalPartSymbols.Contains(c));

    /// <returns>
    /// The domain as stored (lower-case Unicode, so the user sees what they typed) and its ASCII (punycode) form,
    /// or <see langword="null"/> when it is not a valid host name. Round-tripping through punycode makes every
    /// spelling of one domain (upper case, already-punycoded) come out the same.
    /// </returns>
    private static (string Unicode, string Ascii)? TryCanonicalizeDomain(string domain)
    {
        if (domain.Length == 0 || domain.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return null;
        }

        var idn = new IdnMapping { UseStd3AsciiRules = true };
        string ascii;
        string unicode;
        try
        {
            ascii = idn.GetAscii(domain.ToLowerInvariant()).ToLowerInvariant();
            unicode = idn.GetUnicode(ascii);
        }
        catch (ArgumentException)
        {
            // IdnMapping's only way of saying "not a valid domain name".
            return null;
        }

        var labels = ascii.Split('.');
        var valid = ascii.Length <= MaxDomainLength
            && labels.Length >= 2
            && labels.All(IsValidLabel)
            && !labels[^1].All(char.IsAsciiDigit);
        return valid ? (unicode.ToLowerInvariant(), ascii) : null;
    }

    private static bool IsValidLabel(string label) =>
        label.Length is > 0 and <= MaxLabelLength
        && label[0] != '-'
        && label[^1] != '-'
        && label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
