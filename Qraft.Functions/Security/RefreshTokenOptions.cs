namespace Qraft.Security;

/// <summary>
/// The refresh-token setting of the <c>Jwt</c> section (<c>Jwt__RefreshTokenLifetime</c>), for the stored tokens and
/// for the keep-alive refresh alike. The access-token settings bind from the same section into their own class,
/// which needs a signing key; storage is registered, and tested, without one.
/// </summary>
public sealed class RefreshTokenOptions
{
    public const string SectionName = "Jwt";

    /// <summary>How long an issued refresh token is accepted; each rotation issues a token with a fresh lifetime.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(7);
}
