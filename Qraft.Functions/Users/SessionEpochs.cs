using Qraft.Security;

namespace Qraft.Users;

/// <summary>How a token is judged against its account's session epoch (<see cref="User.SessionEpoch"/>).</summary>
public static class SessionEpochs
{
    /// <summary>An access token whose chain began before the account's epoch belongs to an ended session.</summary>
    public static bool IsCurrent(AccessTokenPayload payload, User user) => payload.OrigIat >= user.SessionEpoch;

    /// <summary>
    /// The <c>origIat</c> of a new chain: now, or the epoch when that is later (it is at most a second ahead, set by
    /// a revocation in this very second), so a login right after a revocation is not refused by it.
    /// </summary>
    public static long OrigIatFor(User user, DateTimeOffset now) => Math.Max(now.ToUnixTimeSeconds(), user.SessionEpoch);
}
