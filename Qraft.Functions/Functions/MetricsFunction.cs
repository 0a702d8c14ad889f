using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Qraft.Observability;

namespace Qraft.Functions;

/// <summary>This replica's Prometheus metrics. Anonymous here; only the stack's internal network reaches it.</summary>
public sealed class MetricsFunction(QraftMetrics metrics)
{
    [Function("metrics")]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "metrics")] HttpRequest request) =>
        new PrometheusTextResult(metrics.Registry);
}
