namespace Qraft.Storage;

/// <summary>How often expired refresh tokens and throttle counts are deleted (<c>Qraft__Purge__Interval</c>).</summary>
public sealed class PurgeOptions
{
    public const string SectionName = "Qraft:Purge";

    /// <summary>
    /// At most one purge per interval across all replicas; zero turns it off (another process purges, or nobody).
    /// An hour keeps the tables near their live size at a scan of each an hour.
    /// </summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}
