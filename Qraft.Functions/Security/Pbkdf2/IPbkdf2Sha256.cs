namespace Qraft.Security.Pbkdf2;

/// <summary>
/// PBKDF2-HMAC-SHA256 (RFC 8018), the function behind Django's <c>pbkdf2_sha256</c> hashes. Every engine gives the
/// bytes <see cref="System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte}, int, System.Security.Cryptography.HashAlgorithmName)"/>
/// gives; they differ only in speed.
/// </summary>
public interface IPbkdf2Sha256
{
    /// <summary>The engine's name in the start-up log line and the <c>qraft_password_hash_engine</c> metric.</summary>
    string Name { get; }

    /// <summary>Fills <paramref name="destination"/> with the key derived from <paramref name="password"/> and <paramref name="salt"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iterations"/> is less than 1.</exception>
    void DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int iterations, Span<byte> destination);
}
