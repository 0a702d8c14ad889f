namespace Qraft.Hosting;

/// <summary>Who this replica is and how it leaves (section "Qraft", plus the top-level <c>QRAFT_INSTANCE</c>).</summary>
public sealed class ReplicaOptions
{
    /// <summary>Name in <c>X-Served-By</c>, logs and metrics; <c>QRAFT_INSTANCE</c>, else the machine name.</summary>
    public string Instance { get; set; } = Environment.MachineName;

    /// <summary>Time between readiness turning 503 and the server stopping, so HAProxy takes the replica out first.</summary>
    public TimeSpan DrainPeriod { get; set; } = TimeSpan.FromSeconds(5);
}
