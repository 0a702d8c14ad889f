namespace Qraft.Security;

/// <summary>
/// The refresh-token setting of the <c>Jwt</c> section (<c>Jwt__RefreshTokenLifetime</c>). The access-token
/// settings bind from the same section into their own options class.
/// </summary>
public sealed class RefreshTokenOptions
{
    public const string SectionName = "Jwt";

    /// <summary>How long an issued refresh token is accepted; each rotation issues a token with a fresh lifetime.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(7);
}
