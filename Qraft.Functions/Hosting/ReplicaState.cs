namespace Qraft.Hosting;

/// <summary>Process-wide readiness switch flipped once, when shutdown begins.</summary>
public sealed class ReplicaState
{
    private volatile bool _draining;

    public bool IsDraining => _draining;

    public void BeginDraining() => _draining = true;
}
