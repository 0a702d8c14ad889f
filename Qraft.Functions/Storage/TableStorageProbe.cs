using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qraft.Users;

namespace Qraft.Storage;

/// <summary>
/// Readiness: one point read of a key no user can have (emails always contain '@'). Going through the users table
/// also creates it when storage comes back after being down at startup.
/// </summary>
internal sealed partial class TableStorageProbe(
    StorageTables tables,
    IOptions<TableStorageOptions> options,
    ILogger<TableStorageProbe> logger) : IStorageProbe
{
    private const string ProbeKey = "probe";

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
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
            return true;
        }
        catch (Exception exception) when (exception is StorageUnavailableException or RequestFailedException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // A 4xx such as a wrong account key counts as unreachable too: this replica cannot serve either way.
            LogUnreachable(logger, exception);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Table Storage is not reachable; readiness fails until it is")]
    private static partial void LogUnreachable(ILogger logger, Exception exception);
}
