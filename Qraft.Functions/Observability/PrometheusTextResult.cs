using Microsoft.AspNetCore.Mvc;
using Prometheus;

namespace Qraft.Observability;

/// <summary>Writes a registry in the Prometheus text format straight to the response.</summary>
internal sealed class PrometheusTextResult(CollectorRegistry registry) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        await registry.CollectAndExportAsTextAsync(response.Body, context.HttpContext.RequestAborted);
    }
}
