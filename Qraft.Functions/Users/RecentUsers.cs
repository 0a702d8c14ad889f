using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Qraft.Security;

namespace Qraft.Users;

/// <summary>
/// A short-lived per-replica copy of accounts for token-authenticated reads (<c>me</c>, the staff check). The token
/// already proves who the caller is; the stored record only adds its fields, so a read a few seconds old is fine and
/// spares storage a round trip per request — the reason the original chose JWTs. Logins always read storage.
/// </summary>
public sealed class RecentUsers(IUserStore users, IMemoryCache cache, IOptions<AccountOptions> options)
{
    public async Task<User?> FindAsync(string email, CancellationToken cancellationToken)
    {
        var key = KeyOf(email);
        if (cache.TryGetValue(key, out User? cached))
        {
            return cached;
        }

        var user = await users.FindAsync(email, cancellationToken);
        // MemoryCache refuses a zero lifetime, and zero means no copy at all.
        if (user is not null && options.Value.UserCacheDuration > TimeSpan.Zero)
        {
            cache.Set(key, user, options.Value.UserCacheDuration);
        }

        return user;
    }

    /// <summary>Drops this replica's copy after a change made here, so this replica sees the change at once.</summary>
    public void Forget(string email) => cache.Remove(KeyOf(email));

    private static (Type, string) KeyOf(string email) => (typeof(RecentUsers), EmailAddress.Key(email));
}
