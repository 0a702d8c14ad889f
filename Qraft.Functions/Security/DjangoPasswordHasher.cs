using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Konscious.Security.Cryptography;
using Microsoft.Extensions.Options;
using Qraft.Security.Pbkdf2;

namespace Qraft.Security;

/// <summary>
/// Django's password hashers. New hashes are <c>pbkdf2_sha256</c>; <c>pbkdf2_sha1</c>, <c>argon2</c> and
/// <c>bcrypt_sha256</c> hashes imported from the original still verify and are flagged for an upgrade. PBKDF2-SHA256,
/// the timing equaliser and harden_runtime all run on <paramref name="pbkdf2"/>, so every path costs the same work.
/// </summary>
internal sealed partial class DjangoPasswordHasher(IOptions<PasswordHashingOptions> options, IPbkdf2Sha256 pbkdf2) : IPasswordHasher
{
    private const string Pbkdf2Sha256 = "pbkdf2_sha256";
    private const string Pbkdf2Sha1 = "pbkdf2_sha1";
    private const string Argon2 = "argon2";
    private const string BCryptSha256 = "bcrypt_sha256";

    // Django's get_random_string alphabet and salt_entropy: 22 characters of 62 give the 128 bits it targets.
    private const string SaltAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const int SaltLength = 22;
    private const double SaltEntropyBits = 128;

    // Ceilings for parameters read from a stored hash, so a tampered row cannot exhaust memory or CPU.
    // Django's own defaults (m=102400 KiB, t=2, p=8; bcrypt cost 12) sit well inside them.
    private const int MaxArgon2MemoryKib = 256 * 1024;
    private const int MaxArgon2Passes = 16;
    private const int MaxArgon2Lanes = 16;
    private const int MaxBCryptCost = 16;

    private readonly int _iterations = options.Value.PasswordIterations;

    public string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetString(SaltAlphabet, SaltLength);
        return EncodePbkdf2(Pbkdf2Sha256, password, salt, _iterations);
    }

    public PasswordCheck Verify(string password, string? encoded)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (encoded is not null && TryVerify(password, encoded) is { } check)
        {
            return check;
        }

        // No account, an unusable ("!...") password or a hash we cannot read: cost what a real check costs,
        // so the answer's timing does not reveal which it was.
        Span<byte> discarded = stackalloc byte[SHA256.HashSizeInBytes];
        DerivePbkdf2Sha256(password, "qraft-timing-equaliser"u8, _iterations, discarded);
        return PasswordCheck.Failed;
    }

    /// <returns><see langword="null"/> when <paramref name="encoded"/> is not a hash this class can check.</returns>
    private PasswordCheck? TryVerify(string password, string encoded)
    {
        var separator = encoded.IndexOf('$');
        return separator < 0 ? null : encoded[..separator] switch
        {
            Pbkdf2Sha256 or Pbkdf2Sha1 => VerifyPbkdf2(password, encoded),
            Argon2 => VerifyArgon2(password, encoded),
            BCryptSha256 => VerifyBCryptSha256(password, encoded),
            _ => null,
        };
    }

    private PasswordCheck? VerifyPbkdf2(string password, string encoded)
    {
        var parts = encoded.Split('$', 4);
        if (parts.Length != 4
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations is < 1 or > PasswordHashingOptions.MaxIterations
            || parts[2].Length == 0)
        {
            return null;
        }

        var (algorithm, salt) = (parts[0], parts[2]);
        var recomputed = EncodePbkdf2(algorithm, password, salt, iterations);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(recomputed), Encoding.UTF8.GetBytes(encoded)))
        {
            // Django's harden_runtime: a wrong guess against an old, cheaper hash still costs the configured
            // work, so failed logins do not reveal which accounts have not been upgraded yet.
            if (iterations < _iterations)
            {
                DerivePbkdf2(algorithm, password, salt, _iterations - iterations);
            }

            return PasswordCheck.Failed;
        }

        var weakSalt = salt.Length * Math.Log2(SaltAlphabet.Length) < SaltEntropyBits;
        return algorithm == Pbkdf2Sha256 && iterations == _iterations && !weakSalt
            ? PasswordCheck.Succeeded
            : PasswordCheck.SucceededNeedsRehash;
    }

    /// <summary><c>argon2$argon2id$v=19$m=102400,t=2,p=8$&lt;salt&gt;$&lt;hash&gt;</c>: argon2-cffi's string behind Django's prefix.</summary>
    private static PasswordCheck? VerifyArgon2(string password, string encoded)
    {
        var parts = encoded.Split('$');
        if (parts.Length != 6
            || parts[2] != "v=19"
            || Argon2Parameters().Match(parts[3]) is not { Success: true } parameters
            || !TryParseBounded(parameters.Groups["m"].Value, MaxArgon2MemoryKib, out var memoryKib)
            || !TryParseBounded(parameters.Groups["t"].Value, MaxArgon2Passes, out var passes)
            || !TryParseBounded(parameters.Groups["p"].Value, MaxArgon2Lanes, out var lanes)
            || memoryKib < 8 * lanes
            || DecodeUnpaddedBase64(parts[4]) is not { Length: >= 8 } salt
            || DecodeUnpaddedBase64(parts[5]) is not { Length: >= 4 and <= 64 } expected)
        {
            return null;
        }

        var passwordBytes = Encoding.UTF8.GetBytes(password);
        using Konscious.Security.Cryptography.Argon2? argon2 = parts[1] switch
        {
            "argon2id" => new Argon2id(passwordBytes),
            "argon2i" => new Argon2i(passwordBytes),
            "argon2d" => new Argon2d(passwordBytes),
            _ => null,
        };
        if (argon2 is null)
        {
            return null;
        }

        argon2.Salt = salt;
        argon2.MemorySize = memoryKib;
        argon2.Iterations = passes;
        argon2.DegreeOfParallelism = lanes;
        return CryptographicOperations.FixedTimeEquals(argon2.GetBytes(expected.Length), expected)
            ? PasswordCheck.SucceededNeedsRehash
            : PasswordCheck.Failed;
    }

    /// <summary><c>bcrypt_sha256$$2b$12$...</c>: bcrypt over the lower-case hex SHA-256 of the password, which avoids bcrypt's 72-byte cut.</summary>
    private static PasswordCheck? VerifyBCryptSha256(string password, string encoded)
    {
        var bcryptHash = encoded[(BCryptSha256.Length + 1)..];
        if (BCryptHash().Match(bcryptHash) is not { Success: true } match
            || int.Parse(match.Groups["cost"].Value, CultureInfo.InvariantCulture) is < 4 or > MaxBCryptCost)
        {
            return null;
        }

        var prehashed = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password)));
        return BCrypt.Net.BCrypt.Verify(prehashed, bcryptHash) ? PasswordCheck.SucceededNeedsRehash : PasswordCheck.Failed;
    }

    private string EncodePbkdf2(string algorithm, string password, string salt, int iterations) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{algorithm}${iterations}${salt}${Convert.ToBase64String(DerivePbkdf2(algorithm, password, salt, iterations))}");

    /// <summary>Django's PBKDF2 over the UTF-8 of both strings: SHA-256 on the engine, SHA-1 (imported hashes only) on the platform.</summary>
    private byte[] DerivePbkdf2(string algorithm, string password, string salt, int iterations)
    {
        var saltBytes = Encoding.UTF8.GetBytes(salt);
        if (algorithm == Pbkdf2Sha1)
        {
            return Rfc2898DeriveBytes.Pbkdf2(password, saltBytes, iterations, HashAlgorithmName.SHA1, SHA1.HashSizeInBytes);
        }

        var derived = new byte[SHA256.HashSizeInBytes];
        DerivePbkdf2Sha256(password, saltBytes, iterations, derived);
        return derived;
    }

    private void DerivePbkdf2Sha256(string password, ReadOnlySpan<byte> salt, int iterations, Span<byte> destination)
    {
        // Encoding.UTF8 as Rfc2898DeriveBytes' string overloads use it (a lone surrogate becomes U+FFFD), so hashes match theirs.
        var passwordBytes = Encoding.UTF8.GetBytes(password);
        try
        {
            pbkdf2.DeriveKey(passwordBytes, salt, iterations, destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordBytes);
        }
    }

    private static bool TryParseBounded(string digits, int max, out int value) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1 && value <= max;

    /// <summary>argon2-cffi writes standard base64 without padding.</summary>
    private static byte[]? DecodeUnpaddedBase64(string text)
    {
        var padded = (text.Length % 4) switch
        {
            0 => text,
            2 => text + "==",
            3 => text + "=",
            _ => null,
        };
        var buffer = new byte[text.Length];
        return padded is not null && Convert.TryFromBase64String(padded, buffer, out var written) ? buffer[..written] : null;
    }

    [GeneratedRegex(@"^m=(?<m>[0-9]{1,9}),t=(?<t>[0-9]{1,9}),p=(?<p>[0-9]{1,9})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Argon2Parameters();

    [GeneratedRegex(@"^\$2[aby]\$(?<cost>[0-9]{2})\$[./A-Za-z0-9]{53}\z", RegexOptions.CultureInvariant)]
    private static partial Regex BCryptHash();
}
