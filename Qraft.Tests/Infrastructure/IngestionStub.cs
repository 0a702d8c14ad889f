using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Qraft.Tests.Infrastructure;

/// <summary>
/// A stand-in for the Application Insights ingestion endpoint on a free loopback port. It accepts what the 2.x SDK
/// sends (<c>POST /v2/track</c>, gzip, one JSON envelope a line) and answers as Breeze does; any other call (live
/// metrics) gets an empty 200, so nothing leaves the machine.
/// </summary>
public sealed class IngestionStub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<JsonObject> _envelopes = new();

    private IngestionStub(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    /// <summary>A connection string that points both ingestion and live metrics here.</summary>
    public string ConnectionString => $"InstrumentationKey={Guid.NewGuid()};IngestionEndpoint={Address};LiveEndpoint={Address}";

    public IReadOnlyCollection<JsonObject> Envelopes => _envelopes;

    public static async Task<IngestionStub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new IngestionStub(app);
        app.MapPost("/v2/track", stub.TrackAsync);
        app.MapFallback(() => Results.Ok());
        await app.StartAsync();
        stub.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First() + "/");
        return stub;
    }

    /// <summary>Envelopes of one telemetry type (<c>RequestData</c>, <c>MessageData</c>, ...), by <c>data.baseType</c>.</summary>
    public IReadOnlyList<JsonObject> OfType(string baseType) =>
        [.. _envelopes.Where(e => e["data"]?["baseType"]?.GetValue<string>() == baseType)];

    /// <summary>Waits, for at most <paramref name="timeout"/>, until <paramref name="arrived"/> holds.</summary>
    public async Task<bool> WaitUntilAsync(Func<IngestionStub, bool> arrived, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!arrived(this))
        {
            try
            {
                await Task.Delay(100, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                return arrived(this);
            }
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> TrackAsync(HttpRequest request)
    {
        var body = request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(request.Body, CompressionMode.Decompress)
            : request.Body;
        using var reader = new StreamReader(body);
        var received = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!string.IsNullOrWhiteSpace(line) && JsonNode.Parse(line) is JsonObject envelope)
            {
                _envelopes.Enqueue(envelope);
                received++;
            }
        }

        return Results.Json(new { itemsReceived = received, itemsAccepted = received, errors = Array.Empty<object>() });
    }
}
