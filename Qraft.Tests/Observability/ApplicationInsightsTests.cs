using System.Net;
using System.Text.Json.Nodes;
using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.ApplicationInsights;
using Microsoft.Extensions.Options;
using Qraft.Hosting;
using Qraft.Observability;
using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Observability;

/// <summary>Application Insights against a local ingestion endpoint: what arrives there, and nothing without a connection string.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApplicationInsightsTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AGraphQLRequestSendsRequestTraceAndDependencyTelemetryNamedAfterTheReplica()
    {
        await using var ingestion = await IngestionStub.StartAsync();
        var settings = QraftTestApp.SharedSettings(azurite.ConnectionString);
        settings["APPLICATIONINSIGHTS_CONNECTION_STRING"] = ingestion.ConnectionString;
        string requestId;
        await using (var app = await QraftTestApp.StartAsync(settings, "ai-replica"))
        {
            var (email, password) = await app.Client.SignUpAsync();
            var login = await app.Client.PostAsync(GraphQLClient.Login, new { email, password });
            requestId = login.Headers.GetValues("X-Request-Id").Single();
        }

        // Disposing the app flushed the SDK's buffer; the stub may still be reading the last batch.
        var arrived = await ingestion.WaitUntilAsync(
            stub => stub.OfType("RequestData").Count >= 2
                && stub.OfType("MessageData").Any(IsOperationLine)
                && stub.OfType("RemoteDependencyData").Count > 0,
            ArrivalTimeout);
        Assert.True(arrived, $"telemetry missing; received: {string.Join(", ", ingestion.Envelopes.Select(e => e["name"]))}");

        Assert.All(ingestion.Envelopes, envelope =>
        {
            Assert.Equal("ai-replica", Tag(envelope, "ai.cloud.roleInstance"));
            Assert.Equal("qraft_users", Tag(envelope, "ai.cloud.role"));
        });
        var requests = ingestion.OfType("RequestData");
        Assert.All(requests, request =>
        {
            Assert.Equal("POST /graphql/", BaseData(request)["name"]?.GetValue<string>());
            Assert.Equal("200", BaseData(request)["responseCode"]?.GetValue<string>());
            Assert.True(BaseData(request)["success"]?.GetValue<bool>());
        });

        // The log line of the login travels with its request: same operation, and the request id as a property.
        var loginLine = ingestion.OfType("MessageData").Where(IsOperationLine)
            .Single(line => BaseData(line)["properties"]?["requestId"]?.GetValue<string>() == requestId);
        Assert.Equal("Information", BaseData(loginLine)["severityLevel"]?.GetValue<string>());
        Assert.Contains(
            requests,
            request => Tag(request, "ai.operation.id") == Tag(loginLine, "ai.operation.id"));
    }

    [Fact]
    public async Task TheBuiltAppInItsOwnProcessSendsRequestAndTraceTelemetryNamedAfterTheReplica()
    {
        await using var ingestion = await IngestionStub.StartAsync();
        var port = AppProcess.FreePort();
        var environment = AppProcess.Environment(azurite.ConnectionString, "ai-process");
        environment["APPLICATIONINSIGHTS_CONNECTION_STRING"] = ingestion.ConnectionString;
        using var process = AppProcess.Start(port, environment);
        try
        {
            using var client = new GraphQLClient(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") });
            Assert.True(await AppProcess.PollReadinessAsync(client.Http, HttpStatusCode.OK), "the app never became ready");
            await client.SignUpAsync();

            // A graceful stop flushes what the SDK still buffers.
            Assert.True(AppProcess.Terminate(process));
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(exit.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        var arrived = await ingestion.WaitUntilAsync(
            stub => stub.OfType("RequestData").Any(r => BaseData(r)["name"]?.GetValue<string>() == "POST /graphql/")
                && stub.OfType("MessageData").Any(IsOperationLine),
            ArrivalTimeout);
        Assert.True(arrived, $"telemetry missing; received: {string.Join(", ", ingestion.Envelopes.Select(e => e["name"]))}");
        Assert.All(ingestion.Envelopes, envelope => Assert.Equal("ai-process", Tag(envelope, "ai.cloud.roleInstance")));
    }

    [Fact]
    public void UnderTheFunctionsHostTheWorkerSendsItsLogsAndLeavesRequestsToTheHost()
    {
        var logFolder = Directory.CreateTempSubdirectory("qraft-logs-").FullName;
        try
        {
            using var host = QraftFunctionsHost.Build(
            [
                $"--APPLICATIONINSIGHTS_CONNECTION_STRING=InstrumentationKey={Guid.NewGuid()};IngestionEndpoint=http://127.0.0.1:9/",
                "--QRAFT_INSTANCE=func",
                $"--Logging:File:Path={Path.Combine(logFolder, "func.log")}",
            ]);

            Assert.NotNull(host.Services.GetService<TelemetryClient>());
            Assert.IsType<NoRequestTelemetry>(host.Services.GetRequiredService<IRequestTelemetry>());
            var initializers = host.Services.GetServices<ITelemetryInitializer>().ToList();
            Assert.IsType<RedactingTelemetryInitializer>(initializers[^1]);
            Assert.Contains(initializers, i => i is ReplicaTelemetryInitializer);
            Assert.DoesNotContain(
                host.Services.GetRequiredService<IOptions<LoggerFilterOptions>>().Value.Rules,
                rule => rule.ProviderName == typeof(ApplicationInsightsLoggerProvider).FullName);
            Assert.Contains(host.Services.GetServices<ILoggerProvider>(), p => p is ApplicationInsightsLoggerProvider);
        }
        finally
        {
            Directory.Delete(logFolder, recursive: true);
        }
    }

    [Fact]
    public async Task WithoutAConnectionStringNoTelemetryServiceIsRegistered()
    {
        await using var app = await QraftTestApp.StartAsync(QraftTestApp.SharedSettings(azurite.ConnectionString));
        await app.Client.SignUpAsync();

        Assert.Null(app.Services.GetService<TelemetryClient>());
        Assert.Null(app.Services.GetService<TelemetryConfiguration>());
        Assert.Empty(app.Services.GetServices<ITelemetryInitializer>());
        Assert.IsType<NoRequestTelemetry>(app.Services.GetRequiredService<IRequestTelemetry>());
    }

    private static bool IsOperationLine(JsonObject envelope) =>
        BaseData(envelope)["message"]?.GetValue<string>().StartsWith("GraphQL ", StringComparison.Ordinal) == true;

    private static JsonNode BaseData(JsonObject envelope) => envelope["data"]!["baseData"]!;

    private static string? Tag(JsonObject envelope, string name) => envelope["tags"]?[name]?.GetValue<string>();
}
