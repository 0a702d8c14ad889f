using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Qraft.Hosting;

namespace Qraft.Functions;

/// <summary>Readiness for the load balancer: storage reachable and not draining.</summary>
public sealed class ReadyFunction(HealthAnswers health)
{
    [Function("ready")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health/ready")] HttpRequest request,
        CancellationToken cancellationToken) =>
        health.ReadyAsync(cancellationToken);
}
