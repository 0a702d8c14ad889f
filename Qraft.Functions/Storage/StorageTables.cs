using System.Diagnostics;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Qraft.Observability;

namespace Qraft.Storage;

/// <summary>The app's tables, all on one <see cref="TableServiceClient"/> (one connection pool per replica).</summary>
internal sealed class StorageTables
{
    /// <param name="credential">Used only when the setting is an endpoint URI; DefaultAzureCredential unless replaced.</param>
    /// <param name="transport">Not registered by the app (the SDK's default); tests supply one that trusts their CA.</param>
    public StorageTables(
        IOptions<TableStorageOptions> options, TokenCredential credential, QraftMetrics metrics, HttpPipelineTransport? transport = null)
    {
        var settings = options.Value;
        var clientOptions = CreateClientOptions();
        if (transport is not null)
        {
            clientOptions.Transport = transport;
        }

        var service = TableStorageOptions.TryGetTableEndpoint(settings.ConnectionString, out var endpoint)
            ? new TableServiceClient(endpoint, credential, clientOptions)
            : new TableServiceClient(settings.ConnectionString, clientOptions);
        StorageTable Table(string name) =>
            new(service.GetTableClient(settings.TablePrefix + name), name, settings.OperationTimeout, metrics);
        Users = Table("users");
        RefreshTokens = Table("refreshtokens");
        LoginThrottle = Table("loginthrottle");
        Leases = Table("leases");
        EmailTokens = Table("emailtokens");
        MailOutbox = Table("mailoutbox");
    }

    public StorageTable Users { get; }

    public StorageTable RefreshTokens { get; }

    public StorageTable LoginThrottle { get; }

    public StorageTable Leases { get; }

    public StorageTable EmailTokens { get; }

    public StorageTable MailOutbox { get; }

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
/// failures mean "storage unavailable", and the one place that measures storage: every store goes through
/// <see cref="RunAsync{T}"/>.
/// </summary>
/// <param name="name">The table's name without the deployment prefix: the first half of the metrics' operation label.</param>
internal sealed class StorageTable(TableClient client, string name, TimeSpan operationTimeout, QraftMetrics metrics)
{
    private readonly Lock _creationLock = new();
    private Task? _creation;

    /// <summary>The table's name without the deployment prefix.</summary>
    public string Name => name;

    /// <param name="operation">
    /// A constant verb naming the store method ("get", "insert", ...); with the table name it labels the storage metrics,
    /// so it must never carry data.
    /// </param>
    public async Task<T> RunAsync<T>(string operation, Func<TableClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var label = $"{name}.{operation}";
        var started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(operationTimeout);
        try
        {
            await EnsureCreatedAsync(deadline.Token);
            return await call(client, deadline.Token);
        }
        catch (Exception exception) when (IsOutage(exception))
        {
            // The caller's own cancellation is not an outage and must stay an OperationCanceledException.
            cancellationToken.ThrowIfCancellationRequested();
            metrics.StorageErrors.WithLabels(label).Inc();
            throw new StorageUnavailableException($"Table '{client.Name}' did not answer in time.", exception);
        }
        finally
        {
            metrics.StorageCalls.WithLabels(label).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>
    /// Deletes every entity <paramref name="filter"/> matches, a page of keys at a time, each page and each delete a
    /// bounded call of its own. A delete is conditional on the ETag the scan saw, so an entity written since (a
    /// throttle count that a new failure revived) stays; one deleted by someone else meanwhile is not counted.
    /// </summary>
    /// <param name="operation">The constant verb of the metrics' label; the scan and the deletes add "_scan" and "_delete".</param>
    public async Task<int> DeleteWhereAsync(string operation, string filter, CancellationToken cancellationToken)
    {
        const int PageSize = 100;
        var deleted = 0;
        string? continuation = null;
        do
        {
            var (keys, next) = await RunAsync(
                $"{operation}_scan",
                async (table, token) =>
                {
                    var pages = table.QueryAsync<TableEntity>(filter, PageSize, ["PartitionKey", "RowKey"], token).AsPages(continuation, PageSize);
                    await foreach (var page in pages)
                    {
                        return (page.Values, page.ContinuationToken);
                    }

                    return ((IReadOnlyList<TableEntity>)[], (string?)null);
                },
                cancellationToken);
            foreach (var entity in keys)
            {
                deleted += await RunAsync($"{operation}_delete", (table, token) => DeleteIfUnchangedAsync(table, entity, token), cancellationToken);
            }

            continuation = next;
        }
        while (continuation is not null);

        return deleted;
    }

    public Task RunAsync(string operation, Func<TableClient, CancellationToken, Task> call, CancellationToken cancellationToken) =>
        RunAsync(
            operation,
            async (table, token) =>
            {
                await call(table, token);
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

    private static async Task<int> DeleteIfUnchangedAsync(TableClient table, TableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, entity.ETag, cancellationToken);
            return 1;
        }
        catch (RequestFailedException gone) when (gone.Status is 404 or 412)
        {
            return 0;
        }
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
