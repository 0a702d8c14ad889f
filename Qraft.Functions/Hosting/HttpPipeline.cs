using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qraft.Observability;

namespace Qraft.Hosting;

/// <summary>
/// Work every HTTP request gets in either host: the replica's identity and a request id on the response (the id is
/// also on every log line of the request), and a JSON 500 for anything that escaped a function. Hosted as Functions
/// worker middleware or as ASP.NET Core middleware. The whole of it is one request for telemetry, so a 500 made here
/// is recorded as such.
/// </summary>
internal sealed partial class HttpPipeline(IOptions<InstanceOptions> options, IRequestTelemetry requests, ILogger<HttpPipeline> logger)
{
    private const string InternalErrorBody = """{"errors":[{"message":"Internal server error","extensions":{"code":"INTERNAL"}}]}""";

    private readonly string _instance = options.Value.Instance;

    public Task InvokeAsync(HttpContext context, Func<Task> next) => requests.TrackAsync(context, () => ServeAsync(context, next));

    private async Task ServeAsync(HttpContext context, Func<Task> next)
    {
        var requestId = RequestId(context);
        context.Response.Headers["X-Served-By"] = _instance;
        context.Response.Headers["X-Request-Id"] = requestId;

        // ASP.NET Core's own scope carries a different "RequestId" (connection:sequence); shadowing it with the same
        // value means a log line never holds two request ids that disagree.
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["requestId"] = requestId, ["RequestId"] = requestId });
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
            context.Response.Headers["X-Request-Id"] = requestId;
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(InternalErrorBody, CancellationToken.None);
        }
    }

    /// <summary>The edge's id when it sent a sane one, so one id follows a request from HAProxy to the log; else the trace id.</summary>
    private static string RequestId(HttpContext context)
    {
        var incoming = context.Request.Headers["X-Request-Id"].ToString();
        if (incoming.Length is > 0 and <= 64 && incoming.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            return incoming;
        }

        return Activity.Current?.TraceId.ToHexString() ?? Guid.NewGuid().ToString("N");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception serving {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, PathString path);
}
