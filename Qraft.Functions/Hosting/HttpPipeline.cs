using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Qraft.Hosting;

/// <summary>
/// Work every HTTP request gets in either host: the replica's identity on the response and a JSON 500 for anything
/// that escaped a function. Hosted as Functions worker middleware or as ASP.NET Core middleware.
/// </summary>
internal sealed partial class HttpPipeline(IOptions<ReplicaOptions> options, ILogger<HttpPipeline> logger)
{
    private const string InternalErrorBody = """{"errors":[{"message":"Internal server error","extensions":{"code":"INTERNAL"}}]}""";

    private readonly string _instance = options.Value.Instance;

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        context.Response.Headers["X-Served-By"] = _instance;
        try
        {
            await next();
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            LogUnhandled(logger, exception, context.Request.Path);
            if (context.Response.HasStarted)
            {
                throw;
            }

            context.Response.Clear();
            context.Response.Headers["X-Served-By"] = _instance;
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(InternalErrorBody, CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception serving {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, PathString path);
}
