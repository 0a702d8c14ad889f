using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Qraft.Users;

/// <summary>The app's tables, all on one <see cref="TableServiceClient"/> (one connection pool per replica).</summary>
internal sealed class StorageTables
{
    public StorageTables(IOptions<TableStorageOptions> options)
    {
        var settings = options.Value;
        var service = new TableServiceClient(settings.ConnectionString, CreateClientOptions());
        Users = new StorageTable(service.GetTableClient(settings.TablePrefix + "users"), settings.OperationTimeout);
        RefreshTokens = new StorageTable(service.GetTableClient(settings.TablePrefix + "refreshtokens"), settings.OperationTimeout);
        LoginThrottle = new StorageTable(service.GetTableClient(settings.TablePrefix + "loginthrottle"), settings.OperationTimeout);
    }

    public StorageTable Users { get; }

    public StorageTable RefreshTokens { get; }

    public StorageTable LoginThrottle { get; }

    /// <summary>
    /// The SDK's defaults (3 retries, 100 s network timeout) would hold a request for minutes against a stopped account;
    /// these give up after about five seconds, which <see cref="TableStorageOptions.OperationTimeout"/> then caps exactly.
    /// </summary>
    internal static TableClientOptions CreateClientOptions()
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 2;
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(2);
        return options;
    }
}

/// <summary>
/// One table, created on first use, whose calls are bounded in time. This is the one place that decides which
/// failures mean "storage unavailable": every store goes through <see cref="RunAsync{T}"/>.
/// </summary>
internal sealed class StorageTable(TableClient client, TimeSpan operationTimeout)
{
    private readonly Lock _creationLock = new();
    private Task? _creation;

    public async Task<T> RunAsync<T>(Func<TableClient, CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(operationTimeout);
        try
        {
            await EnsureCreatedAsync(deadline.Token);
            return await operation(client, deadline.Token);
        }
        catch (Exception exception) when (IsOutage(exception))
        {
            // The caller's own cancellation is not an outage and must stay an OperationCanceledException.
            cancellationToken.ThrowIfCancellationRequested();
            throw new StorageUnavailableException($"Table '{client.Name}' did not answer in time.", exception);
        }
    }

    public Task RunAsync(Func<TableClient, CancellationToken, Task> operation, CancellationToken cancellationToken) =>
        RunAsync(
            async (table, token) =>
            {
                await operation(table, token);
                return true;
            },
            cancellationToken);

    /// <summary>
    /// Creation is shared by all callers and runs without any one caller's token, so a caller giving up cannot fail it
    /// for the others. A failed attempt (storage down at startup) is forgotten, and the next call tries again.
    /// </summary>
    private Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        Task creation;
        lock (_creationLock)
        {
            if (_creation is null || _creation.IsFaulted || _creation.IsCanceled)
            {
                _creation = client.CreateIfNotExistsAsync(CancellationToken.None);
            }

            creation = _creation;
        }

        return creation.WaitAsync(cancellationToken);
    }

    private static bool IsOutage(Exception exception) => exception switch
    {
        // Status 0: no response at all (connection refused or reset); 408/429/5xx: the service is there but not serving.
        RequestFailedException failed => failed.Status is 0 or 408 or 429 or >= 500,
        OperationCanceledException or TimeoutException or HttpRequestException => true,

        // The SDK reports "every retry failed" as an aggregate of the individual attempts.
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsOutage),
        _ => false,
    };
}
