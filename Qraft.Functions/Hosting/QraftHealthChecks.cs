using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Qraft.Storage;

namespace Qraft.Hosting;

/// <summary>
/// Every health check of the replica, registered here and nowhere else, tagged by the question it answers:
/// <see cref="Live"/> for <c>/health</c>, <see cref="Ready"/> for <c>/health/ready</c> (<see cref="HealthAnswers"/>).
/// </summary>
public static class QraftHealthChecks
{
    /// <summary>
    /// Whether the process should be restarted. No check carries it: answering at all is the evidence, and storage
    /// must never be one, or an outage would restart every replica at once.
    /// </summary>
    public const string Live = "live";

    /// <summary>Whether the load balancer should send requests: not draining, and storage reachable.</summary>
    public const string Ready = "ready";

    public static IHostApplicationBuilder AddQraftHealthChecks(this IHostApplicationBuilder builder)
    {
        // Draining comes first: when both fail, it names the answer, since the replica is leaving whatever storage does.
        builder.Services.AddHealthChecks()
            .AddCheck<DrainingHealthCheck>("draining", tags: [Ready])
            .AddCheck<TableStorageHealthCheck>("storage", tags: [Ready]);
        builder.Services.AddSingleton<HealthAnswers>();
        return builder;
    }
}
