using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Qraft.Hosting;

/// <summary>
/// On SIGTERM, turns readiness to 503 and keeps serving for the drain period before the server stops,
/// so a rolling restart behind HAProxy drops no request.
/// </summary>
/// <remarks>
/// <see cref="IHostedLifecycleService.StoppingAsync"/> runs before any hosted service's StopAsync, and Kestrel stops
/// in its StopAsync; waiting here therefore keeps the listener open while health checks see 503.
/// </remarks>
internal sealed partial class DrainOnShutdown(
    ReplicaState state,
    IOptions<ReplicaOptions> options,
    TimeProvider time,
    ILogger<DrainOnShutdown> logger) : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        state.BeginDraining();
        var period = options.Value.DrainPeriod;
        LogDraining(logger, period);
        if (period > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(period, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The host's shutdown timeout cut the drain short; stopping now is what it asked for.
            }
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutdown requested: readiness is 503, draining for {DrainPeriod}")]
    private static partial void LogDraining(ILogger logger, TimeSpan drainPeriod);
}
