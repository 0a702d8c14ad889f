using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qraft.Users;

namespace Qraft.Security;

/// <summary>
/// Failure counts in Table Storage, so every replica sees the same state. One row per account and one per client
/// address; counts change by read-modify-write under the row's ETag, and a write that loses a race reads again.
/// See <see cref="LoginThrottleOptions"/> for the window semantics.
/// </summary>
internal sealed partial class TableLoginThrottle(
    StorageTables tables,
    IOptions<LoginThrottleOptions> options,
    TimeProvider time,
    ILogger<TableLoginThrottle> logger) : ILoginThrottle
{
    private const string AccountRow = "account";
    private const string AddressRow = "address";

    /// <summary>Each lost race means another writer succeeded, so this many attempts count every failure of up to this many concurrent writers.</summary>
    private const int MaxWriteAttempts = 10;

    /// <summary>Well below Table Storage's 1 KiB per key, above any valid email (254 characters).</summary>
    private const int MaxKeyBytes = 512;

    public Task<bool> IsThrottledAsync(string email, string? clientAddress, CancellationToken cancellationToken) =>
        tables.LoginThrottle.RunAsync(
            "check",
            async (table, token) =>
            {
                var settings = options.Value;
                var account = ReadAsync(table, AccountKey(email), AccountRow, token);
                var address = clientAddress is null
                    ? Task.FromResult<FailureEntity?>(null)
                    : ReadAsync(table, TableKeys.Escape(clientAddress), AddressRow, token);
                await Task.WhenAll(account, address);

                var now = time.GetUtcNow();
                return IsOverLimit(await account, settings.MaxFailuresPerAccount, now)
                    || IsOverLimit(await address, settings.MaxFailuresPerAddress, now);
            },
            cancellationToken);

    public Task RecordFailureAsync(string email, string? clientAddress, CancellationToken cancellationToken) =>
        tables.LoginThrottle.RunAsync(
            "record_failure",
            (table, token) => clientAddress is null
                ? CountFailureAsync(table, AccountKey(email), AccountRow, token)
                : Task.WhenAll(
                    CountFailureAsync(table, AccountKey(email), AccountRow, token),
                    CountFailureAsync(table, TableKeys.Escape(clientAddress), AddressRow, token)),
            cancellationToken);

    public Task RecordSuccessAsync(string email, CancellationToken cancellationToken) =>
        tables.LoginThrottle.RunAsync(
            "reset",
            (table, token) => table.DeleteEntityAsync(AccountKey(email), AccountRow, ETag.All, token),
            cancellationToken);

    private bool IsOverLimit(FailureEntity? state, int maxFailures, DateTimeOffset now) =>
        state is not null && now < state.WindowStart + options.Value.Window && state.Failures >= maxFailures;

    private static async Task<FailureEntity?> ReadAsync(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var found = await table.GetEntityIfExistsAsync<FailureEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    private async Task CountFailureAsync(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var state = await ReadAsync(table, partitionKey, rowKey, cancellationToken);
            var now = time.GetUtcNow();
            try
            {
                if (state is null)
                {
                    await table.AddEntityAsync(
                        new FailureEntity { PartitionKey = partitionKey, RowKey = rowKey, Failures = 1, WindowStart = now },
                        cancellationToken);
                }
                else
                {
                    if (now >= state.WindowStart + options.Value.Window)
                    {
                        state.Failures = 1;
                        state.WindowStart = now;
                    }
                    else
                    {
                        state.Failures++;
                    }

                    await table.UpdateEntityAsync(state, state.ETag, TableUpdateMode.Replace, cancellationToken);
                }

                return;
            }
            catch (RequestFailedException raced) when (raced.Status is 409 or 412)
            {
                // Another replica created or changed the row since we read it; read it again.
            }
        }

        // Losing the count is better than failing the login response; the next failures are counted again.
        LogContended(logger, rowKey, MaxWriteAttempts);
    }

    /// <summary>
    /// The account's row key. A login may name any string up to the body limit, far beyond the 1 KiB a table key may
    /// hold; such names (no valid email is that long) are counted under their SHA-256 instead, still one row each.
    /// </summary>
    private static string AccountKey(string email)
    {
        var key = TableKeys.Escape(email.ToLowerInvariant());
        return Encoding.UTF8.GetByteCount(key) <= MaxKeyBytes
            ? key
            : "sha256-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email.ToLowerInvariant())));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A failed login was not counted for its {Scope}: {Attempts} conflicting writes in a row")]
    private static partial void LogContended(ILogger logger, string scope, int attempts);

    private sealed class FailureEntity : ITableEntity
    {
        public string PartitionKey { get; set; } = "";

        public string RowKey { get; set; } = "";

        public DateTimeOffset? Timestamp { get; set; }

        public ETag ETag { get; set; }

        public int Failures { get; set; }

        public DateTimeOffset WindowStart { get; set; }
    }
}
