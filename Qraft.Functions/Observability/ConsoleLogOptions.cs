using Serilog.Events;

namespace Qraft.Observability;

/// <summary>The self-hosted replica's console log (section "Logging:Console"); the rolling file always gets everything.</summary>
public sealed class ConsoleLogOptions
{
    /// <summary>
    /// Information: the console shows what the file does, as <c>docker logs</c> and <c>dotnet run</c> users expect.
    /// The local stack sets Warning: supervisord already keeps each replica's file, and relaying a second copy of every
    /// operation's line through its pipe cost the replicas and supervisord CPU on every request (bench/FINDINGS.md).
    /// </summary>
    public LogEventLevel MinimumLevel { get; set; } = LogEventLevel.Information;
}
