using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Qraft.Hosting;

namespace Qraft.Functions;

/// <summary>Readiness for the load balancer: storage reachable and not draining.</summary>
public sealed class ReadyFunction(Readiness readiness)
{
    [Function("ready")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health/ready")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var state = await readiness.CheckAsync(cancellationToken);
        return new ContentResult
        {
            Content = state.ToString().ToLowerInvariant(),
            ContentType = "text/plain; charset=utf-8",
            StatusCode = state == ReadinessState.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable,
        };
    }
}
