using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Qraft.Tests.FunctionsHost.Rpc;
using Yarp.ReverseProxy.Forwarder;

namespace Qraft.Tests.FunctionsHost;

/// <summary>
/// The host's HTTP side for a worker that proxies: it routes a request to a function by the worker's metadata, sends
/// the InvocationRequest (the trigger's RpcHttp left empty, route values as trigger metadata) and at the same time
/// forwards the request itself with YARP to the worker's HttpUri, tagged with the invocation id the worker pairs the
/// two by.
/// </summary>
public sealed class HttpFrontEnd : IAsyncDisposable
{
    /// <summary>The header the worker's ASP.NET Core integration pairs a forwarded request with its invocation by.</summary>
    public const string InvocationIdHeader = "x-ms-invocation-id";

    private static readonly ForwarderRequestConfig ForwardingLimits = new() { ActivityTimeout = TimeSpan.FromMinutes(4) };

    private readonly WebApplication _app;
    private readonly WorkerChannel _channel;
    private readonly Uri _workerHttpUri;
    private readonly IHttpForwarder _forwarder;

    // As the host's proxy: no redirects followed, no cookie jar, no system proxy between the host and its worker.
    private readonly HttpMessageInvoker _invoker = new(new ConnectRetryHandler(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
    }));

    private HttpFrontEnd(WebApplication app, WorkerChannel channel, Uri workerHttpUri)
    {
        _app = app;
        _channel = channel;
        _workerHttpUri = workerHttpUri;
        _forwarder = app.Services.GetRequiredService<IHttpForwarder>();
    }

    public Uri Address { get; private set; } = new("http://127.0.0.1");

    /// <summary>Invocations the worker answered with a failure, by function name, for tests to show.</summary>
    public ConcurrentQueue<string> Failures { get; } = new();

    public static async Task<HttpFrontEnd> StartAsync(
        WorkerChannel channel, Uri workerHttpUri, IReadOnlyList<HttpTriggerBinding> functions, string routePrefix)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // What a client gets is then the worker's response alone; the real host's own headers are the host's business.
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        builder.Services.AddHttpForwarder();
        builder.Services.AddRouting();
        var app = builder.Build();
        var frontEnd = new HttpFrontEnd(app, channel, workerHttpUri);
        foreach (var function in functions)
        {
            app.MapMethods(function.Template(routePrefix), function.Methods, context => frontEnd.InvokeAsync(context, function));
        }

        await app.StartAsync();
        frontEnd.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        return frontEnd;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _invoker.Dispose();
    }

    private async Task InvokeAsync(HttpContext context, HttpTriggerBinding function)
    {
        if (!function.AuthLevel.Equals("Anonymous", StringComparison.OrdinalIgnoreCase))
        {
            // Other levels need a function key, which only the real host keeps.
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var invocationId = Guid.NewGuid().ToString();
        var request = new InvocationRequest
        {
            InvocationId = invocationId,
            FunctionId = function.FunctionId,
            TraceContext = new RpcTraceContext { TraceParent = Activity.Current?.Id ?? string.Empty },
        };
        request.InputData.Add(new ParameterBinding { Name = function.ParameterName, Data = new TypedData { Http = new RpcHttp() } });
        foreach (var (name, value) in context.Request.RouteValues)
        {
            request.TriggerMetadata[name] = new TypedData { String = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty };
        }

        request.TriggerMetadata["Query"] = new TypedData
        {
            Json = JsonSerializer.Serialize(context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString())),
        };

        context.Request.Headers[InvocationIdHeader] = invocationId;
        var forwarding = _forwarder.SendAsync(context, _workerHttpUri.AbsoluteUri, _invoker, ForwardingLimits).AsTask();
        var response = await _channel.InvokeAsync(request, context.RequestAborted);
        var forwarded = await forwarding;

        if (response.Result?.Status != StatusResult.Types.Status.Success)
        {
            Failures.Enqueue($"{function.FunctionName}: {response.Result?.Exception?.Message}");
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }
        }

        if (forwarded != ForwarderError.None)
        {
            Failures.Enqueue($"{function.FunctionName}: forwarding to {_workerHttpUri} failed ({forwarded}): {context.GetForwarderErrorFeature()?.Exception?.Message}");
        }
    }
}
