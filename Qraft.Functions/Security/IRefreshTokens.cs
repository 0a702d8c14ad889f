namespace Qraft.Security;

public sealed record IssuedRefreshToken(string Token, DateTimeOffset ExpiresAt);

public enum RefreshStatus
{
    Rotated,
    Invalid,
    Expired,

    /// <summary>A token that was already rotated came back: the whole family is revoked (OAuth 2.1 reuse detection).</summary>
    Reused,
}

public sealed record RefreshResult(RefreshStatus Status, string? Email, IssuedRefreshToken? Next);

/// <summary>Long-running refresh tokens. Only a hash of each token is stored.</summary>
public interface IRefreshTokens
{
    Task<IssuedRefreshToken> IssueAsync(string email, CancellationToken cancellationToken);

    /// <summary>Exchanges a refresh token for a new one; the old one stops working.</summary>
    Task<RefreshResult> RotateAsync(string token, CancellationToken cancellationToken);

    /// <summary>Revokes the token's family; <see langword="null"/> when the token is unknown.</summary>
    Task<DateTimeOffset?> RevokeAsync(string token, CancellationToken cancellationToken);
}
