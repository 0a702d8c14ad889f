namespace Qraft.Security;

/// <summary>Access-token signing (section <c>Jwt</c>). Every replica must be given the same keys.</summary>
public sealed class JwtOptions
{
    public const string SectionName = "Jwt";

    /// <summary>HS256 wants a key at least as long as its 256-bit output (RFC 7518 §3.2).</summary>
    public const int MinKeyBytes = 32;

    public static readonly TimeSpan DefaultAccessTokenLifetime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The current HMAC key (<c>Jwt__SigningKey</c>); its UTF-8 bytes are the key, as with Django's
    /// <c>SECRET_KEY</c>, so the original deployment's secret can be used as it is.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>Written as the <c>kid</c> header of new tokens when set; without it tokens carry no <c>kid</c>, like the original's.</summary>
    public string? KeyId { get; set; }

    /// <summary>Retired keys by <c>kid</c> (<c>Jwt__PreviousKeys__&lt;kid&gt;</c>): still accepted, never used to sign.</summary>
    public Dictionary<string, string> PreviousKeys { get; set; } = [];

    public TimeSpan AccessTokenLifetime { get; set; }
}
