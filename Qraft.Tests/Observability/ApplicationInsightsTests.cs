using System.Text.Json.Nodes;
using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Extensions.DependencyInjection;
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
    public async Task WithoutAConnectionStringNoTelemetryServiceIsRegistered()
    {
        await using var app = await QraftTestApp.StartAsync(QraftTestApp.SharedSettings(azurite.ConnectionString));
        await app.Client.SignUpAsync();

        Assert.Null(app.Services.GetService<TelemetryClient>());
        Assert.Null(app.Services.GetService<TelemetryConfiguration>());
        Assert.Empty(app.Services.GetServices<ITelemetryInitializer>());
    }

    private static bool IsOperationLine(JsonObject envelope) =>
        BaseData(envelope)["message"]?.GetValue<string>().StartsWith("GraphQL ", StringComparison.Ordinal) == true;

    private static JsonNode BaseData(JsonObject envelope) => envelope["data"]!["baseData"]!;

    private static string? Tag(JsonObject envelope, string name) => envelope["tags"]?[name]?.GetValue<string>();
}
