namespace Qraft.Users;

/// <inheritdoc cref="ISessionRevocation"/>
/// <remarks>
/// The epoch is the next whole second, because access tokens carry <c>origIat</c> in whole seconds: a token issued
/// earlier in the current second is older than the epoch too. Tokens issued after the change get an <c>origIat</c>
/// of at least the epoch (<see cref="SessionEpochs.OrigIatFor"/>), so they work at once.
/// </remarks>
public sealed class SessionRevocation(IUserStore users, RecentUsers recentUsers, TimeProvider time) : ISessionRevocation
{
    public Task<long?> EndAllSessionsAsync(string email, string? newPasswordHash, CancellationToken cancellationToken) =>
        EndAllSessionsAsync(email, newPasswordHash, markEmailVerified: false, cancellationToken);

    public async Task<long?> EndAllSessionsAsync(string email, string? newPasswordHash, bool markEmailVerified, CancellationToken cancellationToken)
    {
        var atLeast = time.GetUtcNow().ToUnixTimeSeconds() + 1;
        var epoch = await users.AdvanceSessionEpochAsync(email, atLeast, newPasswordHash, markEmailVerified, cancellationToken);
        recentUsers.Forget(email);
        return epoch;
    }
}
