namespace Qraft.Observability;

/// <summary>The per-replica rolling JSON log (section "Logging:File").</summary>
public sealed class FileLogOptions
{
    /// <summary>Defaults to <c>logs/qraft_users-&lt;instance&gt;.log</c> when empty.</summary>
    public string? Path { get; set; }

    public long FileSizeLimitBytes { get; set; } = 10 * 1024 * 1024;

    public int RetainedFileCountLimit { get; set; } = 5;
}
