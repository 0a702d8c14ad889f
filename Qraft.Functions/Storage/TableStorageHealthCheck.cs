using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Qraft.Storage;

/// <summary>
/// Readiness: one point read of a key no user can have (emails always contain '@'). Going through the users table
/// also creates it when storage comes back after being down at startup.
/// </summary>
internal sealed partial class TableStorageHealthCheck(
    StorageTables tables,
    IOptions<TableStorageOptions> options,
    ILogger<TableStorageHealthCheck> logger) : IHealthCheck
{
    /// <summary>The readiness answer while storage cannot be reached.</summary>
    public const string Unreachable = "storageunreachable";

    private const string ProbeKey = "probe";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Value.ProbeTimeout);
        try
        {
            await tables.Users.RunAsync(
                "probe",
                (table, token) => table.GetEntityIfExistsAsync<TableEntity>(
                    ProbeKey, ProbeKey, [nameof(ITableEntity.PartitionKey)], token),
                deadline.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is StorageUnavailableException or RequestFailedException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // A 4xx such as a wrong account key counts as unreachable too: this replica cannot serve either way.
            LogUnreachable(logger, exception);
            return HealthCheckResult.Unhealthy(Unreachable);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Table Storage is not reachable; readiness fails until it is")]
    private static partial void LogUnreachable(ILogger logger, Exception exception);
}
