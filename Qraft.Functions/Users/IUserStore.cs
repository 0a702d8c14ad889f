namespace Qraft.Users;

/// <summary>
/// Users by normalized email. Lookups are case-insensitive: <c>A@x.io</c> and <c>a@x.io</c> are one account.
/// When storage cannot be reached in bounded time every member throws, and the API answers <c>STORAGE_UNAVAILABLE</c>.
/// </summary>
public interface IUserStore
{
    Task<User?> FindAsync(string email, CancellationToken cancellationToken);

    /// <summary>Inserts the user; <see langword="false"/> when the email is already taken (decided by storage, race-free across replicas).</summary>
    Task<bool> TryAddAsync(User user, CancellationToken cancellationToken);

    /// <summary>Records a successful login in one write: the login time and, when the hash was upgraded, the new hash.</summary>
    Task RecordLoginAsync(string email, DateTimeOffset lastLogin, string? upgradedPasswordHash, CancellationToken cancellationToken);

    /// <summary>False when there is no such account.</summary>
    Task<bool> MarkEmailVerifiedAsync(string email, CancellationToken cancellationToken);

    /// <summary>Users ordered by their lower-cased email, starting after <paramref name="afterEmail"/>.</summary>
    Task<IReadOnlyList<User>> ListAsync(int first, string? afterEmail, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the session epoch to the larger of <paramref name="atLeast"/> and one more than the stored epoch, and the
    /// password hash when given, and marks the address verified when asked, in one write that loses no concurrent
    /// advance; <see langword="null"/> when there is no such account.
    /// </summary>
    Task<long?> AdvanceSessionEpochAsync(
        string email, long atLeast, string? newPasswordHash, bool markEmailVerified, CancellationToken cancellationToken);

    /// <summary>Deletes the account; <see langword="false"/> when it was not there.</summary>
    Task<bool> DeleteAsync(string email, CancellationToken cancellationToken);
}
