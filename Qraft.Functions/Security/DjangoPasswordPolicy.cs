using System.Collections.Frozen;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Qraft.Security;

/// <summary>
/// Django's four default validators (startproject's <c>AUTH_PASSWORD_VALIDATORS</c>), in Django's order and words,
/// plus a length ceiling. Lengths count code points, as Python's <c>len</c> does.
/// </summary>
internal sealed class DjangoPasswordPolicy : IPasswordPolicy
{
    private const int MinLength = 8;
    private const int MaxLength = 4096;

    private const string TooSimilar = "The password is too similar to the email address.";
    private const string TooShort = "This password is too short. It must contain at least 8 characters.";
    private const string TooCommon = "This password is too common.";
    private const string EntirelyNumeric = "This password is entirely numeric.";
    private const string TooLong = "This password is too long. It must contain at most 4096 characters.";

    private const double MaxSimilarity = 0.7;
    private const string CommonPasswordsResource = "Qraft.Security.common-passwords.txt.gz";

    // Read on first use rather than at startup: only sign-up needs the list.
    private readonly Lazy<FrozenSet<string>> _commonPasswords = new(LoadCommonPasswords);

    public IReadOnlyList<string> Validate(string password, string email)
    {
        ArgumentNullException.ThrowIfNull(password);
        var codePoints = ToCodePoints(password);

        // Nothing else is worth checking (or spending CPU on) for a password that will be refused anyway.
        if (codePoints.Length > MaxLength)
        {
            return [TooLong];
        }

        var errors = new List<string>(4);
        if (IsTooSimilar(ToCodePoints(password.ToLowerInvariant()), email))
        {
            errors.Add(TooSimilar);
        }

        if (codePoints.Length < MinLength)
        {
            errors.Add(TooShort);
        }

        if (_commonPasswords.Value.Contains(password.ToLowerInvariant().Trim()))
        {
            errors.Add(TooCommon);
        }

        if (IsEntirelyNumeric(password))
        {
            errors.Add(EntirelyNumeric);
        }

        return errors;
    }

    /// <summary>UserAttributeSimilarityValidator against the email, its <c>\W+</c>-separated parts and the whole address.</summary>
    private static bool IsTooSimilar(int[] password, string? email)
    {
        if (string.IsNullOrEmpty(email))
        {
            return false;
        }

        var value = ToCodePoints(email.ToLowerInvariant());
        foreach (var part in SplitOnNonWord(value).Append(value))
        {
            // CVE-2021-45115: a part this much shorter than the password cannot reach the threshold,
            // and skipping it keeps a huge password from costing a quadratic amount of work.
            if (password.Length >= 10 * part.Length && part.Length < MaxSimilarity / 2 * password.Length)
            {
                continue;
            }

            if (QuickRatio(password, part) >= MaxSimilarity)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Python's <c>difflib.SequenceMatcher(a=a, b=b).quick_ratio()</c>: twice the size of the multiset
    /// intersection over the total length, an upper bound on <c>ratio()</c>.
    /// </summary>
    private static double QuickRatio(int[] a, int[] b)
    {
        var available = new Dictionary<int, int>();
        foreach (var element in b)
        {
            available[element] = available.GetValueOrDefault(element) + 1;
        }

        var matches = 0;
        foreach (var element in a)
        {
            if (available.TryGetValue(element, out var count) && count > 0)
            {
                available[element] = count - 1;
                matches++;
            }
        }

        var length = a.Length + b.Length;
        return length == 0 ? 1.0 : 2.0 * matches / length;
    }

    /// <summary>
    /// Python's <c>re.split(r'\W+', value)</c>, empty pieces included. Python's <c>\w</c> is letters, numbers and
    /// the underscore (no combining marks), which .NET's <c>\w</c> is not, so this splits by hand.
    /// </summary>
    private static IEnumerable<int[]> SplitOnNonWord(int[] value)
    {
        var start = 0;
        var index = 0;
        while (index < value.Length)
        {
            if (IsWordCharacter(value[index]))
            {
                index++;
                continue;
            }

            yield return value[start..index];
            while (index < value.Length && !IsWordCharacter(value[index]))
            {
                index++;
            }

            start = index;
        }

        yield return value[start..];
    }

    private static bool IsWordCharacter(int codePoint) =>
        codePoint == '_'
        || CharUnicodeInfo.GetUnicodeCategory(codePoint) is
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    /// <summary>Python's <c>str.isdigit()</c>: non-empty, and every character has a digit value (so "²" counts).</summary>
    private static bool IsEntirelyNumeric(string password)
    {
        if (password.Length == 0)
        {
            return false;
        }

        for (var index = 0; index < password.Length; index += char.IsSurrogatePair(password, index) ? 2 : 1)
        {
            if (CharUnicodeInfo.GetDigitValue(password, index) < 0)
            {
                return false;
            }
        }

        return true;
    }

    private static int[] ToCodePoints(string text)
    {
        var codePoints = new List<int>(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            codePoints.Add(rune.Value);
        }

        return [.. codePoints];
    }

    private static FrozenSet<string> LoadCommonPasswords()
    {
        using var resource = typeof(DjangoPasswordPolicy).Assembly.GetManifestResourceStream(CommonPasswordsResource)
            ?? throw new InvalidOperationException($"Embedded resource {CommonPasswordsResource} is missing from the build.");
        using var gzip = new GZipStream(resource, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        var passwords = new List<string>(20_000);
        while (reader.ReadLine() is { } line)
        {
            passwords.Add(line.Trim());
        }

        return passwords.ToFrozenSet(StringComparer.Ordinal);
    }
}
