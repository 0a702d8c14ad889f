using System.Security.Cryptography;

namespace Qraft.Security.Pbkdf2;

/// <summary>.NET's own PBKDF2 (OpenSSL on Linux): available everywhere, and the reference the other engines match.</summary>
public sealed class PlatformPbkdf2Sha256 : IPbkdf2Sha256
{
    public const string EngineName = "platform";

    public string Name => EngineName;

    public void DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int iterations, Span<byte> destination) =>
        Rfc2898DeriveBytes.Pbkdf2(password, salt, destination, iterations, HashAlgorithmName.SHA256);
}
