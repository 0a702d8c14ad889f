using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qraft.Security;
using Qraft.Users;

namespace Qraft.Storage;

/// <summary>
/// Failure counts in Table Storage, so every replica sees the same state. One entity per account and one per client
/// address, each its own partition (<see cref="SingleEntityPartition"/>), the key saying which of the two it counts;
/// counts change by read-modify-write under the entity's ETag, and a write that loses a race reads again.
/// See <see cref="LoginThrottleOptions"/> for the window semantics.
/// </summary>
internal sealed partial class TableLoginThrottle(
    StorageTables tables,
    IOptions<LoginThrottleOptions> options,
    TimeProvider time,
    ILogger<TableLoginThrottle> logger) : ILoginThrottle, IExpiringState
{
    /// <summary>Key prefixes: a login name may look like an address ("127.0.0.1" is a name no account has), so each scope keeps its own keys.</summary>
    private const string AccountScope = "account:";
    private const string AddressScope = "address:";

    /// <summary>Each lost race means another writer succeeded, so this many attempts count every failure of up to this many concurrent writers.</summary>
    private const int MaxWriteAttempts = 10;

    /// <summary>Well below Table Storage's 1 KiB per key, above any valid email (254 characters).</summary>
    private const int MaxKeyBytes = 512;

    public Task<ThrottleCheck> CheckAsync(string email, string? clientAddress, CancellationToken cancellationToken) =>
        tables.LoginThrottle.RunAsync(
            "check",
            async (table, token) =>
            {
                var settings = options.Value;
                var account = table.FindAsync<FailureEntity>(AccountKey(email), token);
                var address = clientAddress is null
                    ? Task.FromResult<FailureEntity?>(null)
                    : table.FindAsync<FailureEntity>(AddressKey(clientAddress), token);
                await Task.WhenAll(account, address);

                var now = time.GetUtcNow();
                var throttled = IsOverLimit(await account, settings.MaxFailuresPerAccount, now)
                    || IsOverLimit(await address, settings.MaxFailuresPerAddress, now);
                return new ThrottleCheck(throttled, AccountHasFailures: await account is not null);
            },
            cancellationToken);

    public Task RecordFailureAsync(string email, string? clientAddress, CancellationToken cancellationToken) =>
        tables.LoginThrottle.RunAsync(
            "record_failure",
            (table, token) => clientAddress is null
                ? CountFailureAsync(table, AccountKey(email), token)
                : Task.WhenAll(CountFailureAsync(table, AccountKey(email), token), CountFailureAsync(table, AddressKey(clientAddress), token)),
            cancellationToken);

    public Task RecordSuccessAsync(string email, CancellationToken cancellationToken) =>
        tables.LoginThrottle.RunAsync("reset", (table, token) => table.DeleteAsync(AccountKey(email), token), cancellationToken);

    public string Name => tables.LoginThrottle.Name;

    /// <summary>Counts whose window closed: they refuse nothing, and the next failure would start over anyway.</summary>
    public Task<int> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        tables.LoginThrottle.DeleteWhereAsync(
            "purge",
            TableClient.CreateQueryFilter($"WindowStart le {now - options.Value.Window}"), cancellationToken);

    private bool IsOverLimit(FailureEntity? state, int maxFailures, DateTimeOffset now) =>
        state is not null && now < state.WindowStart + options.Value.Window && state.Failures >= maxFailures;

    private async Task CountFailureAsync(TableClient table, string key, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var state = await table.FindAsync<FailureEntity>(key, cancellationToken);
            var now = time.GetUtcNow();
            try
            {
                if (state is null)
                {
                    await table.AddEntityAsync(new FailureEntity { Key = key, Failures = 1, WindowStart = now }, cancellationToken);
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
        LogContended(logger, key[..key.IndexOf(':', StringComparison.Ordinal)], MaxWriteAttempts);
    }

    /// <summary>
    /// The account's key. A login may name any string up to the body limit, far beyond the 1 KiB a table key may
    /// hold; such names (no valid email is that long) are counted under their SHA-256 instead, still one entity each.
    /// </summary>
    private static string AccountKey(string email)
    {
        var account = EmailAddress.Key(email);
        var key = TableKeys.Escape(account);
        return AccountScope + (Encoding.UTF8.GetByteCount(key) <= MaxKeyBytes
            ? key
            : "sha256-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(account))));
    }

    private static string AddressKey(string clientAddress) => AddressScope + TableKeys.Escape(clientAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A failed login was not counted for its {Scope}: {Attempts} conflicting writes in a row")]
    private static partial void LogContended(ILogger logger, string scope, int attempts);

    private sealed class FailureEntity : SingleEntityPartition
    {
        public int Failures { get; set; }

        public DateTimeOffset WindowStart { get; set; }
    }
}
