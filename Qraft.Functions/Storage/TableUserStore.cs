using Azure;
using Azure.Data.Tables;
using Qraft.Security;
using Qraft.Users;

namespace Qraft.Storage;

/// <summary>
/// One partition per user, keyed by the escaped lower-case email (<see cref="SingleEntityPartition"/>), so every lookup
/// is a point read whatever the table size. Uniqueness is the insert conflict itself, never a read before the write.
/// </summary>
internal sealed class TableUserStore(StorageTables tables) : IUserStore
{
    private const int MaxPageSize = 1000;

    public Task<User?> FindAsync(string email, CancellationToken cancellationToken) =>
        tables.Users.RunAsync<User?>(
            "get",
            async (table, token) =>
            {
                var found = await table.FindAsync<UserEntity>(KeyOf(email), token);
                return found?.ToUser();
            },
            cancellationToken);

    public Task<bool> TryAddAsync(User user, CancellationToken cancellationToken) =>
        tables.Users.RunAsync(
            "insert",
            async (table, token) =>
            {
                try
                {
                    await table.AddEntityAsync(UserEntity.From(user, KeyOf(user.Email)), token);
                    return true;
                }
                catch (RequestFailedException conflict) when (conflict.Status == 409)
                {
                    // A retried insert whose first attempt did land also conflicts; that one is ours, not a duplicate.
                    var existing = await table.FindAsync<UserEntity>(KeyOf(user.Email), token, [nameof(UserEntity.Id)]);
                    return existing?.Id == user.Id;
                }
            },
            cancellationToken);

    public Task RecordLoginAsync(string email, DateTimeOffset lastLogin, string? upgradedPasswordHash, CancellationToken cancellationToken) =>
        tables.Users.RunAsync(
            "record_login",
            (table, token) =>
            {
                // Only these properties, unconditionally: the last login wins, and the rest of the row is untouched.
                Dictionary<string, object> changes = new() { [nameof(UserEntity.LastLogin)] = lastLogin };
                if (upgradedPasswordHash is not null)
                {
                    changes[nameof(UserEntity.PasswordHash)] = upgradedPasswordHash;
                }

                return table.MergeAsync(KeyOf(email), changes, token);
            },
            cancellationToken);

    public Task<bool> MarkEmailVerifiedAsync(string email, CancellationToken cancellationToken) =>
        MergeIfExistsAsync("verify_email", email, new() { [nameof(UserEntity.EmailVerified)] = true }, cancellationToken);

    public Task<long?> AdvanceSessionEpochAsync(
        string email, long atLeast, string? newPasswordHash, bool markEmailVerified, CancellationToken cancellationToken) =>
        tables.Users.RunAsync<long?>(
            "advance_session_epoch",
            async (table, token) =>
            {
                // Conditional on the row's ETag: of two replicas advancing at once, the loser reads the winner's
                // epoch and goes past it, so the epoch only ever grows. A login's merge in between just retries.
                while (true)
                {
                    if (await table.FindAsync<UserEntity>(KeyOf(email), token) is not { } found)
                    {
                        return null;
                    }

                    var epoch = Math.Max(atLeast, found.SessionEpoch + 1);
                    var changes = new TableEntity(found.PartitionKey, found.RowKey) { [nameof(UserEntity.SessionEpoch)] = epoch };
                    if (newPasswordHash is not null)
                    {
                        changes[nameof(UserEntity.PasswordHash)] = newPasswordHash;
                    }

                    if (markEmailVerified)
                    {
                        changes[nameof(UserEntity.EmailVerified)] = true;
                    }

                    try
                    {
                        await table.UpdateEntityAsync(changes, found.ETag, TableUpdateMode.Merge, token);
                        return epoch;
                    }
                    catch (RequestFailedException changed) when (changed.Status is 412 or 404)
                    {
                        // Changed (or deleted) since the read: read again.
                    }
                }
            },
            cancellationToken);

    public Task<bool> DeleteAsync(string email, CancellationToken cancellationToken) =>
        tables.Users.RunAsync(
            "delete",
            async (table, token) =>
            {
                // The SDK answers a missing entity with its 404 response rather than an exception.
                var response = await table.DeleteAsync(KeyOf(email), token);
                return response.Status != 404;
            },
            cancellationToken);

    public Task<IReadOnlyList<User>> ListAsync(int first, string? afterEmail, CancellationToken cancellationToken) =>
        tables.Users.RunAsync<IReadOnlyList<User>>(
            "list",
            async (table, token) =>
            {
                var pageSize = Math.Clamp(first, 1, MaxPageSize);
                var filter = afterEmail is null ? null : TableClient.CreateQueryFilter($"PartitionKey gt {KeyOf(afterEmail)}");
                var users = new List<User>(pageSize);
                await foreach (var entity in table.QueryAsync<UserEntity>(filter, pageSize, cancellationToken: token))
                {
                    users.Add(entity.ToUser());
                    if (users.Count == pageSize)
                    {
                        break;
                    }
                }

                return users;
            },
            cancellationToken);

    private Task<bool> MergeIfExistsAsync(
        string operation, string email, Dictionary<string, object> changes, CancellationToken cancellationToken) =>
        tables.Users.RunAsync(
            operation,
            async (table, token) =>
            {
                try
                {
                    await table.MergeAsync(KeyOf(email), changes, token);
                    return true;
                }
                catch (RequestFailedException missing) when (missing.Status == 404)
                {
                    return false;
                }
            },
            cancellationToken);

    private static string KeyOf(string email) => TableKeys.Escape(EmailAddress.Key(email));

    private sealed class UserEntity : SingleEntityPartition
    {
        public string Id { get; set; } = "";

        /// <summary>As the user signed up (the key is lower-cased and escaped).</summary>
        public string Email { get; set; } = "";

        public string PasswordHash { get; set; } = "";

        public DateTimeOffset DateJoined { get; set; }

        public DateTimeOffset? LastLogin { get; set; }

        public bool IsActive { get; set; }

        /// <summary>Absent on rows written before verification existed, which read as unverified.</summary>
        public bool EmailVerified { get; set; }

        /// <summary>Absent (zero) on rows written before session epochs: every earlier token still counts.</summary>
        public long SessionEpoch { get; set; }

        public static UserEntity From(User user, string key) => new()
        {
            Key = key,
            Id = user.Id,
            Email = user.Email,
            PasswordHash = user.PasswordHash,
            DateJoined = user.DateJoined,
            LastLogin = user.LastLogin,
            IsActive = user.IsActive,
            EmailVerified = user.EmailVerified,
            SessionEpoch = user.SessionEpoch,
        };

        public User ToUser() => new(Id, Email, PasswordHash, DateJoined, LastLogin, IsActive, EmailVerified, SessionEpoch);
    }
}
