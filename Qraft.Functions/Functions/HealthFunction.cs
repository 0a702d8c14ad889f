using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Qraft.Hosting;

namespace Qraft.Functions;

/// <summary>Liveness: the process serves HTTP. Says nothing about storage, so a storage outage never restarts replicas.</summary>
public sealed class HealthFunction(HealthAnswers health)
{
    [Function("health")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken) =>
        health.LiveAsync(cancellationToken);
}
