using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Qraft.Tests.FunctionsHost.Rpc;
using MessageKind = Qraft.Tests.FunctionsHost.Rpc.StreamingMessage.ContentOneofCase;

namespace Qraft.Tests.FunctionsHost;

/// <summary>
/// Plays the Azure Functions host against the unchanged, built worker, from the host's side of the language worker
/// protocol: a gRPC server on a free loopback port, the worker launched from its worker.config.json with the host's
/// arguments and environment, then StartStream, WorkerInitRequest, FunctionsMetadataRequest, one FunctionLoadRequest
/// per function, and HTTP invocations proxied to the worker (<see cref="HttpFrontEnd"/>). Every step the worker misses,
/// by crashing or by silence past the host's timeout, ends the start with a <see cref="FunctionsHostException"/> that
/// says which step it was and what the worker last printed.
/// </summary>
public sealed class FunctionsHostHarness : IAsyncDisposable
{
    /// <summary>The worker only reports this back; a 4.x version like the hosts it runs under.</summary>
    public const string HostVersion = "4.1044.0";

    /// <summary>The capability by which a worker with ASP.NET Core integration asks for its HTTP requests over HTTP.</summary>
    public const string HttpUriCapability = "HttpUri";

    private readonly WebApplication _rpcServer;
    private readonly FunctionsHostOptions _options;

    private FunctionsHostHarness(WebApplication rpcServer, WorkerChannel channel, WorkerProcess worker, string workerId, FunctionsHostOptions options)
    {
        _rpcServer = rpcServer;
        Channel = channel;
        Worker = worker;
        WorkerId = workerId;
        _options = options;
    }

    public WorkerChannel Channel { get; }

    public WorkerProcess Worker { get; }

    public string WorkerId { get; }

    public WorkerInitResponse Init { get; private set; } = new();

    /// <summary>The functions as the worker indexed them (FunctionMetadataResponse).</summary>
    public IReadOnlyList<RpcFunctionMetadata> Functions { get; private set; } = [];

    /// <summary>Where requests for the functions go, as they would to <c>func start</c>'s port.</summary>
    public Uri Address => FrontEnd?.Address ?? throw new InvalidOperationException("The harness has not started.");

    public HttpFrontEnd? FrontEnd { get; private set; }

    /// <summary>The environment the host gives its worker on top of its own: where the app is, which runtime it is.</summary>
    public static Dictionary<string, string> HostEnvironment(string appDirectory) => new()
    {
        ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
        ["FUNCTIONS_EXTENSION_VERSION"] = "~4",
        ["AzureWebJobsScriptRoot"] = appDirectory,
        ["FUNCTIONS_APPLICATION_DIRECTORY"] = appDirectory,
        ["FUNCTIONS_WORKER_DIRECTORY"] = appDirectory,
        ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development",
    };

    public static async Task<FunctionsHostHarness> StartAsync(FunctionsHostOptions options)
    {
        var channel = new WorkerChannel();
        var rpcServer = await StartRpcServerAsync(channel);
        var rpcUri = new Uri(rpcServer.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        var workerId = Guid.NewGuid().ToString();
        var command = WorkerCommand.FromConfig(options.AppDirectory, rpcUri, workerId, requestId: Guid.NewGuid().ToString());

        var environment = HostEnvironment(options.AppDirectory);
        foreach (var (key, value) in options.AppSettings)
        {
            environment[key] = value;
        }

        var harness = new FunctionsHostHarness(rpcServer, channel, WorkerProcess.Start(command, options.AppDirectory, environment), workerId, options);
        try
        {
            await harness.InitializeAsync();
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends WorkerTerminate and waits the grace period; kills the worker if it is still running then, as the host does.</summary>
    public async Task<WorkerExit> TerminateAsync()
    {
        Channel.Send(new StreamingMessage { WorkerTerminate = new WorkerTerminate { GracePeriod = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(_options.TerminateGracePeriod) } });
        var exitedInTime = await Worker.WaitForExitAsync(_options.TerminateGracePeriod);
        if (!exitedInTime)
        {
            Worker.Kill();
        }

        return new WorkerExit(exitedInTime, await Worker.Exited);
    }

    public async ValueTask DisposeAsync()
    {
        if (FrontEnd is not null)
        {
            await FrontEnd.DisposeAsync();
        }

        // The worker goes first: its open stream would otherwise hold the gRPC server's shutdown.
        Worker.Dispose();
        await _rpcServer.StopAsync();
        await _rpcServer.DisposeAsync();
    }

    private static async Task<WebApplication> StartRpcServerAsync(WorkerChannel channel)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));

        // The host's channel is plain-text HTTP/2 on loopback with no message size limit (it passes int.MaxValue).
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = null;
            grpc.MaxSendMessageSize = null;
        });
        builder.Services.AddSingleton(channel);
        var app = builder.Build();
        app.MapGrpcService<FunctionRpcService>();
        await app.StartAsync();
        return app;
    }

    private async Task InitializeAsync()
    {
        var start = await ExpectAsync(MessageKind.StartStream, _options.ProcessStartupTimeout, "open its event stream (StartStream)");
        if (start.StartStream.WorkerId != WorkerId)
        {
            throw new FunctionsHostException($"StartStream carried worker id '{start.StartStream.WorkerId}', not the '{WorkerId}' the host passed.");
        }

        var appDirectory = _options.AppDirectory;
        Channel.Send(new StreamingMessage
        {
            RequestId = Guid.NewGuid().ToString(),
            WorkerInitRequest = new WorkerInitRequest { HostVersion = HostVersion, WorkerDirectory = appDirectory, FunctionAppDirectory = appDirectory },
        });
        Init = (await ExpectAsync(MessageKind.WorkerInitResponse, _options.InitializationTimeout, "answer WorkerInitRequest")).WorkerInitResponse;
        EnsureSuccess(Init.Result, "WorkerInitRequest");
        if (!Init.Capabilities.TryGetValue(HttpUriCapability, out var httpUri) || !Uri.TryCreate(httpUri, UriKind.Absolute, out var workerHttpUri))
        {
            throw new FunctionsHostException($"The worker reported no usable {HttpUriCapability} capability, so the host cannot proxy HTTP to it.");
        }

        Channel.Send(new StreamingMessage
        {
            RequestId = Guid.NewGuid().ToString(),
            FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = appDirectory },
        });
        var metadata = (await ExpectAsync(MessageKind.FunctionMetadataResponse, _options.InitializationTimeout, "answer FunctionsMetadataRequest")).FunctionMetadataResponse;
        EnsureSuccess(metadata.Result, "FunctionsMetadataRequest");
        if (metadata.UseDefaultMetadataIndexing)
        {
            throw new FunctionsHostException("The worker asked the host to index the functions itself; this host relies on worker indexing.");
        }

        Functions = [.. metadata.FunctionMetadataResults];
        await LoadFunctionsAsync();
        var http = Functions.Select(HttpTriggerBinding.From).OfType<HttpTriggerBinding>().ToList();
        FrontEnd = await HttpFrontEnd.StartAsync(Channel, workerHttpUri, http, HostJsonSettings.RoutePrefix(appDirectory));
    }

    /// <summary>One FunctionLoadRequest per function (the worker asks for no collection), bindings parsed from its raw ones.</summary>
    private async Task LoadFunctionsAsync()
    {
        foreach (var function in Functions)
        {
            var load = new RpcFunctionMetadata(function);
            load.Bindings.Clear();
            foreach (var raw in function.RawBindings)
            {
                var (name, binding) = BindingFromRaw(raw);
                load.Bindings[name] = binding;
            }

            Channel.Send(new StreamingMessage
            {
                RequestId = Guid.NewGuid().ToString(),
                FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = load },
            });
            var loaded = (await ExpectAsync(MessageKind.FunctionLoadResponse, _options.InitializationTimeout, $"load function '{function.Name}'")).FunctionLoadResponse;
            if (loaded.FunctionId != function.FunctionId)
            {
                throw new FunctionsHostException($"The host loaded '{function.FunctionId}'; the worker answered for '{loaded.FunctionId}'.");
            }

            EnsureSuccess(loaded.Result, $"FunctionLoadRequest for '{function.Name}'");
        }
    }

    private static (string Name, BindingInfo Binding) BindingFromRaw(string raw)
    {
        using var json = JsonDocument.Parse(raw);
        var root = json.RootElement;
        string? Text(string property) =>
            root.EnumerateObject().FirstOrDefault(p => p.Name.Equals(property, StringComparison.OrdinalIgnoreCase)).Value is { ValueKind: JsonValueKind.String } value
                ? value.GetString()
                : null;

        var binding = new BindingInfo
        {
            Type = Text("type") ?? throw new FunctionsHostException($"A raw binding has no type: {raw}"),
            Direction = Enum.TryParse<BindingInfo.Types.Direction>(Text("direction"), ignoreCase: true, out var direction) ? direction : BindingInfo.Types.Direction.In,
            DataType = Enum.TryParse<BindingInfo.Types.DataType>(Text("dataType"), ignoreCase: true, out var dataType) ? dataType : BindingInfo.Types.DataType.Undefined,
        };
        return (Text("name") ?? throw new FunctionsHostException($"A raw binding has no name: {raw}"), binding);
    }

    private static void EnsureSuccess(StatusResult? result, string request)
    {
        if (result?.Status != StatusResult.Types.Status.Success)
        {
            throw new FunctionsHostException($"The worker failed {request}: {result?.Exception?.Message ?? result?.Result ?? "no result"}");
        }
    }

    /// <summary>The next start-up message, or an error naming the step when the worker exits or stays silent first.</summary>
    private async Task<StreamingMessage> ExpectAsync(MessageKind kind, TimeSpan limit, string step)
    {
        using var timeout = new CancellationTokenSource(limit);
        var receiving = Channel.ReceiveAsync(kind, timeout.Token);
        if (await Task.WhenAny(receiving, Worker.Exited) == receiving)
        {
            try
            {
                return await receiving;
            }
            catch (OperationCanceledException)
            {
                Worker.Kill();
                throw new FunctionsHostException(
                    $"The worker did not {step} within {limit.TotalSeconds:0.#} s; the host gives up on it and stops process {Worker.Id}. {LastOutput()}",
                    Worker.Id);
            }
            catch (FunctionsHostException)
            {
                // The stream closed: if the process is going, its exit says more than the stream does.
                if (!await Worker.WaitForExitAsync(TimeSpan.FromSeconds(5)))
                {
                    throw;
                }
            }
        }

        throw new FunctionsHostException(
            $"The worker process {Worker.Id} exited with code {await Worker.Exited} before it could {step}. {LastOutput()}", Worker.Id);
    }

    private string LastOutput() => $"Its last output:{Environment.NewLine}{Worker.LastConsoleLines}";
}

/// <summary>How a worker ended after WorkerTerminate: by itself within the grace period or killed, and its exit code.</summary>
public sealed record WorkerExit(bool ExitedWithinGracePeriod, int ExitCode);
