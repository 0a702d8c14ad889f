using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Qraft.Hosting;

/// <summary>Runs <see cref="HttpPipeline"/> around HTTP-triggered functions when the Functions host drives the worker.</summary>
internal sealed class HttpPipelineWorkerMiddleware(HttpPipeline pipeline) : IFunctionsWorkerMiddleware
{
    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.GetHttpContext();
        return http is null ? next(context) : pipeline.InvokeAsync(http, () => next(context));
    }
}
