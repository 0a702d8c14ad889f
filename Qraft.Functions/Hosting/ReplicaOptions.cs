namespace Qraft.Hosting;

/// <summary>How this replica leaves (section "Qraft"); who it is lives in <see cref="Observability.InstanceOptions"/>.</summary>
public sealed class ReplicaOptions
{
    /// <summary>Time between readiness turning 503 and the server stopping, so HAProxy takes the replica out first.</summary>
    public TimeSpan DrainPeriod { get; set; } = TimeSpan.FromSeconds(5);
}
