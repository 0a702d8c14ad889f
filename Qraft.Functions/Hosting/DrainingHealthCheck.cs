using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Qraft.Hosting;

/// <summary>Readiness: fails from the moment shutdown begins, so the load balancer stops sending before the server stops.</summary>
internal sealed class DrainingHealthCheck(ReplicaState replica) : IHealthCheck
{
    /// <summary>The readiness answer while the replica drains.</summary>
    public const string Draining = "draining";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(replica.IsDraining ? HealthCheckResult.Unhealthy(Draining) : HealthCheckResult.Healthy());
}
