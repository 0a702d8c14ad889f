using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qraft.Observability;
using Qraft.Users;

namespace Qraft.Storage;

/// <summary>
/// Deletes what can no longer matter: refresh tokens past their lifetime, revoked families no token can outlive, and
/// throttle counts whose window closed. Every login leaves a refresh token row, and nothing else removes it; the
/// original left them too unless someone ran django-graphql-jwt's <c>cleartokens</c>. Each replica wakes once per
/// <see cref="PurgeOptions.Interval"/> and the <see cref="StorageLeases">lease</see> lets one of them do the work,
/// so the tables are scanned once an interval however many replicas run, in the self host and in Azure alike.
/// </summary>
internal sealed partial class ExpiredStatePurge(
    IEnumerable<IExpiringState> stores,
    StorageLeases leases,
    IOptions<PurgeOptions> options,
    QraftMetrics metrics,
    TimeProvider time,
    ILogger<ExpiredStatePurge> logger) : BackgroundService
{
    private const string LeaseName = "purge";

    private readonly string _holder = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>
    /// One purge if this replica takes the lease: the rows deleted, or null when nothing ran (another replica holds
    /// the lease, or storage failed; failures are logged, not thrown).
    /// </summary>
    public async Task<int?> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        try
        {
            if (!await leases.TryTakeAsync(LeaseName, _holder, now, options.Value.Interval, cancellationToken))
            {
                return null;
            }

            var total = 0;
            foreach (var store in stores)
            {
                var deleted = await store.PurgeAsync(now, cancellationToken);
                metrics.Purged.WithLabels(store.Name).Inc(deleted);
                total += deleted;
                LogPurged(logger, store.Name, deleted);
            }

            return total;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Housekeeping must never stop a replica that serves logins (a hosted service's exception stops the host).
            // The lease, if taken, lapses by the next interval, when some replica tries again.
            LogFailed(logger, exception);
            return null;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Interval <= TimeSpan.Zero)
        {
            return;
        }

        // The first tick is an interval after start, so a fleet restarting together does not scan at once on the way up.
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: an unfinished purge leaves its remaining rows to the next one.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Deleted} expired rows from {Table}")]
    private static partial void LogPurged(ILogger logger, string table, int deleted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purge of expired rows failed; the next interval tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
