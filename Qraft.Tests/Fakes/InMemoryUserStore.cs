using System.Collections.Concurrent;
using Qraft.Security;
using Qraft.Users;

namespace Qraft.Tests.Fakes;

/// <summary>
/// <see cref="IUserStore"/> in a dictionary, for unit tests of the account and session rules only; the Table Storage
/// store has its own tests against Azurite (Storage/TableUserStoreTests).
/// </summary>
internal sealed class InMemoryUserStore : IUserStore
{
    private readonly ConcurrentDictionary<string, User> _users = new(StringComparer.Ordinal);

    /// <summary>Every login <see cref="RecordLoginAsync"/> was told of, in order.</summary>
    public List<(string Email, DateTimeOffset LastLogin, string? UpgradedHash)> Logins { get; } = [];

    public Task<User?> FindAsync(string email, CancellationToken cancellationToken) =>
        Task.FromResult(_users.GetValueOrDefault(EmailAddress.Key(email)));

    public Task<bool> TryAddAsync(User user, CancellationToken cancellationToken) =>
        Task.FromResult(_users.TryAdd(EmailAddress.Key(user.Email), user));

    public Task<bool> MarkEmailVerifiedAsync(string email, CancellationToken cancellationToken) =>
        Task.FromResult(Change(email, user => user with { EmailVerified = true }));

    public Task RecordLoginAsync(string email, DateTimeOffset lastLogin, string? upgradedPasswordHash, CancellationToken cancellationToken)
    {
        lock (Logins)
        {
            Logins.Add((email, lastLogin, upgradedPasswordHash));
        }

        var key = EmailAddress.Key(email);
        if (_users.TryGetValue(key, out var user))
        {
            var hash = upgradedPasswordHash ?? user.PasswordHash;
            _users[key] = user with { LastLogin = lastLogin, PasswordHash = hash };
        }

        return Task.CompletedTask;
    }

    public Task<long?> AdvanceSessionEpochAsync(
        string email, long atLeast, string? newPasswordHash, bool markEmailVerified, CancellationToken cancellationToken)
    {
        var key = EmailAddress.Key(email);
        while (_users.TryGetValue(key, out var user))
        {
            var epoch = Math.Max(atLeast, user.SessionEpoch + 1);
            if (_users.TryUpdate(key, user with
            {
                SessionEpoch = epoch,
                PasswordHash = newPasswordHash ?? user.PasswordHash,
                EmailVerified = user.EmailVerified || markEmailVerified,
            }, user))
            {
                return Task.FromResult<long?>(epoch);
            }
        }

        return Task.FromResult<long?>(null);
    }

    public Task<bool> DeleteAsync(string email, CancellationToken cancellationToken) =>
        Task.FromResult(_users.TryRemove(EmailAddress.Key(email), out _));

    public Task<IReadOnlyList<User>> ListAsync(int first, string? afterEmail, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<User>>([.. _users
            .Where(pair => afterEmail is null || string.CompareOrdinal(pair.Key, EmailAddress.Key(afterEmail)) > 0)
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Take(first)
            .Select(pair => pair.Value)]);

    /// <summary>An account as an administrator would change it behind the service's back (deleted, deactivated, imported).</summary>
    public void Put(User user) => _users[EmailAddress.Key(user.Email)] = user;

    public void Remove(string email) => _users.TryRemove(EmailAddress.Key(email), out _);

    private bool Change(string email, Func<User, User> change)
    {
        var key = EmailAddress.Key(email);
        if (!_users.TryGetValue(key, out var user))
        {
            return false;
        }

        _users[key] = change(user);
        return true;
    }
}
