using Azure;
using Azure.Data.Tables;

namespace Qraft.Users;

/// <summary>
/// One partition per user, keyed by the escaped lower-case email, so every lookup is a point read whatever the table size.
/// Uniqueness is the insert conflict itself, never a read before the write.
/// </summary>
internal sealed class TableUserStore(StorageTables tables) : IUserStore
{
    /// <summary>The user's row; a constant leaves room for other rows in the same partition later.</summary>
    private const string ProfileRow = "user";

    private const int MaxPageSize = 1000;

    public Task<User?> FindAsync(string email, CancellationToken cancellationToken) =>
        tables.Users.RunAsync<User?>(
            "get",
            async (table, token) =>
            {
                var found = await table.GetEntityIfExistsAsync<UserEntity>(KeyOf(email), ProfileRow, cancellationToken: token);
                return found.HasValue ? found.Value!.ToUser() : null;
            },
            cancellationToken);

    public Task<bool> TryAddAsync(User user, CancellationToken cancellationToken) =>
        tables.Users.RunAsync(
            "insert",
            async (table, token) =>
            {
                try
                {
                    await table.AddEntityAsync(UserEntity.From(user, KeyOf(user.Email), ProfileRow), token);
                    return true;
                }
                catch (RequestFailedException conflict) when (conflict.Status == 409)
                {
                    // A retried insert whose first attempt did land also conflicts; that one is ours, not a duplicate.
                    var existing = await table.GetEntityIfExistsAsync<UserEntity>(
                        KeyOf(user.Email), ProfileRow, [nameof(UserEntity.Id)], token);
                    return existing.HasValue && existing.Value!.Id == user.Id;
                }
            },
            cancellationToken);

    public Task RecordLoginAsync(string email, DateTimeOffset lastLogin, string? upgradedPasswordHash, CancellationToken cancellationToken) =>
        tables.Users.RunAsync(
            "record_login",
            (table, token) =>
            {
                var changes = new TableEntity(KeyOf(email), ProfileRow) { [nameof(UserEntity.LastLogin)] = lastLogin };
                if (upgradedPasswordHash is not null)
                {
                    changes[nameof(UserEntity.PasswordHash)] = upgradedPasswordHash;
                }

                // Merge touches only these properties, and ETag.All makes it one unconditional write: the last login wins.
                // An account that does not exist stays absent (404) rather than being half-created.
                return table.UpdateEntityAsync(changes, ETag.All, TableUpdateMode.Merge, token);
            },
            cancellationToken);

    public Task<IReadOnlyList<User>> ListAsync(int first, string? afterEmail, CancellationToken cancellationToken) =>
        tables.Users.RunAsync<IReadOnlyList<User>>(
            "list",
            async (table, token) =>
            {
                var pageSize = Math.Clamp(first, 1, MaxPageSize);
                var filter = afterEmail is null
                    ? TableClient.CreateQueryFilter($"RowKey eq {ProfileRow}")
                    : TableClient.CreateQueryFilter($"PartitionKey gt {KeyOf(afterEmail)} and RowKey eq {ProfileRow}");
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

    private static string KeyOf(string email) => TableKeys.Escape(email.ToLowerInvariant());

    private sealed class UserEntity : ITableEntity
    {
        public string PartitionKey { get; set; } = "";

        public string RowKey { get; set; } = "";

        public DateTimeOffset? Timestamp { get; set; }

        public ETag ETag { get; set; }

        public string Id { get; set; } = "";

        /// <summary>As the user signed up (the key is lower-cased and escaped).</summary>
        public string Email { get; set; } = "";

        public string PasswordHash { get; set; } = "";

        public DateTimeOffset DateJoined { get; set; }

        public DateTimeOffset? LastLogin { get; set; }

        public bool IsActive { get; set; }

        public static UserEntity From(User user, string partitionKey, string rowKey) => new()
        {
            PartitionKey = partitionKey,
            RowKey = rowKey,
            Id = user.Id,
            Email = user.Email,
            PasswordHash = user.PasswordHash,
            DateJoined = user.DateJoined,
            LastLogin = user.LastLogin,
            IsActive = user.IsActive,
        };

        public User ToUser() => new(Id, Email, PasswordHash, DateJoined, LastLogin, IsActive);
    }
}
