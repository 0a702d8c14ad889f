using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Qraft.Hosting;

/// <summary>
/// The health functions' answers: the checks of one tag (<see cref="QraftHealthChecks"/>) evaluated together; 200 with
/// a fixed word when all pass, else 503 with the first failing check's word, in plain text for HAProxy and people.
/// </summary>
public sealed class HealthAnswers(HealthCheckService checks)
{
    public Task<IActionResult> LiveAsync(CancellationToken cancellationToken) =>
        AnswerAsync(QraftHealthChecks.Live, "alive", cancellationToken);

    public Task<IActionResult> ReadyAsync(CancellationToken cancellationToken) =>
        AnswerAsync(QraftHealthChecks.Ready, "ready", cancellationToken);

    private async Task<IActionResult> AnswerAsync(string tag, string healthy, CancellationToken cancellationToken)
    {
        var report = await checks.CheckHealthAsync(check => check.Tags.Contains(tag), cancellationToken);

        // Entries keep the order the checks were registered in.
        var failed = report.Entries.Values.FirstOrDefault(entry => entry.Status != HealthStatus.Healthy);
        return new ContentResult
        {
            Content = report.Status == HealthStatus.Healthy ? healthy : failed.Description ?? "unhealthy",
            ContentType = "text/plain; charset=utf-8",
            StatusCode = report.Status == HealthStatus.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable,
        };
    }
}
