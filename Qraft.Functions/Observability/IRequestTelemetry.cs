using System.Globalization;
using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.DataContracts;
using Microsoft.AspNetCore.Http;

namespace Qraft.Observability;

/// <summary>
/// Records each HTTP request where no one else does. The Functions host records the requests it hands the worker, so
/// only the self host with Application Insights on has something to do here; everywhere else this is a pass-through.
/// </summary>
internal interface IRequestTelemetry
{
    Task TrackAsync(HttpContext context, Func<Task> next);
}

internal sealed class NoRequestTelemetry : IRequestTelemetry
{
    public Task TrackAsync(HttpContext context, Func<Task> next) => next();
}

/// <summary>Request telemetry for the self host, which the WorkerService SDK (unlike the ASP.NET Core one) does not collect.</summary>
internal sealed class ApplicationInsightsRequestTelemetry(TelemetryClient client) : IRequestTelemetry
{
    public async Task TrackAsync(HttpContext context, Func<Task> next)
    {
        var request = context.Request;

        // Logs and dependencies of the request become children of this operation, so they correlate in the portal.
        using var operation = client.StartOperation<RequestTelemetry>($"{request.Method} {request.PathBase}{request.Path}");
        var telemetry = operation.Telemetry;

        // No query string: a GraphQL GET carries the query and its variables there.
        telemetry.Url = new Uri($"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}");
        try
        {
            await next();
            telemetry.ResponseCode = context.Response.StatusCode.ToString(CultureInfo.InvariantCulture);
            telemetry.Success = context.Response.StatusCode < StatusCodes.Status400BadRequest;
        }
        catch
        {
            // Only an exception after the response started gets here; the client saw a broken response.
            telemetry.ResponseCode = StatusCodes.Status500InternalServerError.ToString(CultureInfo.InvariantCulture);
            telemetry.Success = false;
            throw;
        }
    }
}
