namespace Qraft.Users;

/// <summary>
/// Ends every session of one account at once: each refresh-token family stops rotating and each access token issued
/// before now stops working for <c>me</c> (on other replicas once their short account cache lapses,
/// <see cref="AccountOptions.UserCacheDuration"/>). It is one write to the account's row, its session epoch
/// (<see cref="User.SessionEpoch"/>), so it is race-free across replicas and costs the same however many sessions exist.
/// </summary>
public interface ISessionRevocation
{
    /// <summary>
    /// Advances the account's session epoch and, when <paramref name="newPasswordHash"/> is given, sets that hash in
    /// the same write, so a password change and the end of the sessions it protects cannot be split by a crash.
    /// </summary>
    /// <returns>The new epoch (seconds since the Unix epoch), or <see langword="null"/> when there is no such account.</returns>
    Task<long?> EndAllSessionsAsync(string email, string? newPasswordHash, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="EndAllSessionsAsync(string, string?, CancellationToken)"/>; with <paramref name="markEmailVerified"/>
    /// the same write also records that the owner reached the mailbox (a password reset through a mailed link).
    /// </summary>
    Task<long?> EndAllSessionsAsync(string email, string? newPasswordHash, bool markEmailVerified, CancellationToken cancellationToken);
}
