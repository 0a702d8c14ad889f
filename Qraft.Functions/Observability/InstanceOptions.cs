namespace Qraft.Observability;

/// <summary>
/// Which replica this is (section "Qraft", plus the top-level <c>QRAFT_INSTANCE</c>): the name in logs, metrics and
/// telemetry, and in the <c>X-Served-By</c> header the hosting pipeline writes.
/// </summary>
public sealed class InstanceOptions
{
    /// <summary><c>QRAFT_INSTANCE</c>, else the machine name.</summary>
    public string Instance { get; set; } = Environment.MachineName;
}
