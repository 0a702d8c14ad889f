using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Qraft.Functions;

/// <summary>Liveness: the process serves HTTP. Says nothing about storage, so a storage outage never restarts replicas.</summary>
public sealed class HealthFunction
{
    [Function("health")]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) =>
        new ContentResult { Content = "alive", ContentType = "text/plain; charset=utf-8", StatusCode = StatusCodes.Status200OK };
}
