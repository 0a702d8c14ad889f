namespace Qraft.Security;

/// <summary>What a mailed token proves; a token of one purpose is never accepted for the other.</summary>
public enum EmailTokenPurpose
{
    PasswordReset,
    EmailVerification,
}

public enum EmailTokenStatus
{
    Consumed,
    Invalid,
    Expired,
}

/// <param name="Email">The account the token was issued for; set only when <see cref="Status"/> is <see cref="EmailTokenStatus.Consumed"/>.</param>
public sealed record EmailTokenResult(EmailTokenStatus Status, string? Email);

/// <summary>
/// Single-use tokens sent by mail: 256 random bits, URL-safe base64. Storage keeps only their SHA-256, so a leaked
/// table yields no usable link. A token is consumed by a conditional delete, so of two uses on any replicas only one
/// succeeds.
/// </summary>
public interface IEmailTokens
{
    Task<string> IssueAsync(EmailTokenPurpose purpose, string email, TimeSpan lifetime, CancellationToken cancellationToken);

    Task<EmailTokenResult> ConsumeAsync(EmailTokenPurpose purpose, string token, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the account's unused tokens when the account is deleted, so a link mailed to the old account cannot
    /// reset or verify a new account of the same address; returns how many went.
    /// </summary>
    Task<int> DeleteAllAsync(string email, CancellationToken cancellationToken);
}
