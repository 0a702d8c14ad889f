namespace Qraft.Security;

/// <summary>Access-token signing (section <c>Jwt</c>). Every replica must be given the same keys.</summary>
public sealed class JwtOptions
{
    public const string SectionName = "Jwt";

    /// <summary>HS256 wants a key at least as long as its 256-bit output (RFC 7518 §3.2).</summary>
    public const int MinKeyBytes = 32;

    public static readonly TimeSpan DefaultAccessTokenLifetime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// <c>HS256</c> (the default: the original's tokens, byte for byte), or <c>ES256</c>/<c>RS256</c>, whose public keys
    /// are published at <c>/.well-known/jwks.json</c> so that other services can verify tokens without a shared secret.
    /// </summary>
    public string Algorithm { get; set; } = JwtAlgorithms.HS256;

    /// <summary>
    /// The current HMAC key (<c>Jwt__SigningKey</c>); its UTF-8 bytes are the key, as with Django's
    /// <c>SECRET_KEY</c>, so the original deployment's secret can be used as it is. With an asymmetric
    /// <see cref="Algorithm"/> it is optional and only verifies HS256 tokens issued before the switch; it never signs.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// Written as the <c>kid</c> header of new tokens when set; without it HS256 tokens carry no <c>kid</c>, like the
    /// original's. Required for ES256/RS256, where it names <see cref="PrivateKey"/> in the JWKS.
    /// </summary>
    public string? KeyId { get; set; }

    /// <summary>Retired HMAC keys by <c>kid</c> (<c>Jwt__PreviousKeys__&lt;kid&gt;</c>): still accepted, never used to sign.</summary>
    public Dictionary<string, string> PreviousKeys { get; set; } = [];

    /// <summary>
    /// The ES256 (P-256) or RS256 (at least 2048-bit) private key as PEM (<c>Jwt__PrivateKey</c>), in production a
    /// Key Vault reference.
    /// </summary>
    public string? PrivateKey { get; set; }

    /// <summary>
    /// Retired public keys of the same algorithm by <c>kid</c> (<c>Jwt__PreviousPublicKeys__&lt;kid&gt;</c>, PEM): still
    /// published and accepted until the tokens they signed have expired.
    /// </summary>
    public Dictionary<string, string> PreviousPublicKeys { get; set; } = [];

    /// <summary>
    /// The <c>issuer</c> named by <c>/.well-known/openid-configuration</c> (<c>Jwt__Issuer</c>), the public base URL such
    /// as <c>https://auth.example.com</c>. Unset, the request's own scheme and host are used.
    /// </summary>
    public Uri? Issuer { get; set; }

    public TimeSpan AccessTokenLifetime { get; set; }
}
