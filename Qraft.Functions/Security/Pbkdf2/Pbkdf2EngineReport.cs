using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Qraft.Observability;

namespace Qraft.Security.Pbkdf2;

/// <summary>
/// Says once, as the host starts, which engine hashes passwords and why: in the log, and as the
/// <c>qraft_password_hash_engine</c> metric, so a replica that fell back to the slower engine shows up on a dashboard.
/// </summary>
internal sealed partial class Pbkdf2EngineReport(Pbkdf2EngineChoice choice, QraftMetrics metrics, ILogger<Pbkdf2EngineReport> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.PasswordHashEngine.WithLabels(choice.Engine.Name).Set(1);
        LogEngineChosen(logger, choice.Engine.Name, choice.Reason);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(
        EventName = "PasswordHashEngine", Level = LogLevel.Information,
        Message = "Passwords are hashed with the {Engine} PBKDF2-HMAC-SHA256 engine: {Reason}")]
    private static partial void LogEngineChosen(ILogger logger, string engine, string reason);
}
