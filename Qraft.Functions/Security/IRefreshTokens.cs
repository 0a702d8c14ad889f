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

/// <param name="SessionEpoch">
/// The account's session epoch the family was stamped with at login; the caller refuses the rotation when the
/// account's epoch has since moved past it (every session of the account was ended).
/// </param>
public sealed record RefreshResult(RefreshStatus Status, string? Email, IssuedRefreshToken? Next, long SessionEpoch = 0);

/// <summary>Long-running refresh tokens. Only a hash of each token is stored.</summary>
public interface IRefreshTokens
{
    /// <summary>Starts a family stamped with the account's session epoch as read by the login that asks for it.</summary>
    Task<IssuedRefreshToken> IssueAsync(string email, long sessionEpoch, CancellationToken cancellationToken);

    /// <summary>Exchanges a refresh token for a new one; the old one stops working.</summary>
    Task<RefreshResult> RotateAsync(string token, CancellationToken cancellationToken);

    /// <summary>Revokes the token's family; <see langword="null"/> when the token is unknown.</summary>
    Task<DateTimeOffset?> RevokeAsync(string token, CancellationToken cancellationToken);

    /// <summary>Deletes every refresh token of the account, rotated or not, when the account is deleted; returns how many went.</summary>
    Task<int> DeleteAllAsync(string email, CancellationToken cancellationToken);
}
