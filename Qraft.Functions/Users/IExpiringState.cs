namespace Qraft.Users;

/// <summary>A store whose rows stop mattering at a time it can name; the storage purge deletes them.</summary>
internal interface IExpiringState
{
    /// <summary>The store's table without the deployment prefix: a constant, used as a metric label.</summary>
    string Name { get; }

    /// <summary>Deletes the rows that no longer matter at <paramref name="now"/>; returns how many went.</summary>
    Task<int> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
