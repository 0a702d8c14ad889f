using Qraft.Users;

namespace Qraft.Hosting;

public enum ReadinessState
{
    Ready,
    Draining,
    StorageUnreachable,
}

/// <summary>Whether this replica should receive traffic now.</summary>
public sealed class Readiness(ReplicaState replica, IStorageProbe storage)
{
    public async Task<ReadinessState> CheckAsync(CancellationToken cancellationToken)
    {
        if (replica.IsDraining)
        {
            return ReadinessState.Draining;
        }

        return await storage.IsReachableAsync(cancellationToken) ? ReadinessState.Ready : ReadinessState.StorageUnreachable;
    }
}
