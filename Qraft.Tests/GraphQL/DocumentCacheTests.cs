using System.Net;
using GraphQL;
using GraphQL.Validation;
using Microsoft.Extensions.DependencyInjection;
using Qraft.Observability;
using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.GraphQL;

/// <summary>The parsed-document cache changes what a request costs, never what it gets.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DocumentCacheTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private QraftTestApp _app = null!;

    public async Task InitializeAsync() => _app = await QraftTestApp.StartAsync(QraftTestApp.SharedSettings(azurite.ConnectionString));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ARepeatedDocumentIsServedFromTheCacheWithTheSameAnswer()
    {
        const string query = "query Twice { __typename }";

        var first = await _app.Client.PostAsync(query);
        var (hits, misses) = Lookups();
        var second = await _app.Client.PostAsync(query);

        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(first.Body, second.Body);
        Assert.Equal((hits + 1, misses), Lookups());
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData("0", 2)]
    public async Task ACachedDocumentSkipsTheDocumentRules(string? cacheEntries, int validations)
    {
        var rule = new CountingRule();
        var settings = QraftTestApp.SharedSettings(azurite.ConnectionString);
        settings["Qraft:GraphQL:DocumentCacheEntries"] = cacheEntries;
        await using var app = await QraftTestApp.StartAsync(settings, services: s => s.AddGraphQL(graphQL => graphQL.AddValidationRule(rule)));

        await app.Client.PostAsync("{ __typename }");
        await app.Client.PostAsync("{ __typename }");

        Assert.Equal(validations, rule.Runs);
    }

    [Fact]
    public async Task AMutationCachedFromAPostIsStillRefusedOverGet()
    {
        const string mutation = """mutation { verifyToken(token: "x") { payload } }""";
        await _app.Client.PostAsync(mutation);
        await _app.Client.PostAsync(mutation);
        var (hits, _) = Lookups();

        var overGet = await _app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/graphql/?query={Uri.EscapeDataString(mutation)}"));

        Assert.Equal(hits + 1, Lookups().Hits);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, overGet.Status);
        Assert.Equal("BAD_REQUEST", overGet.FirstErrorCode);
    }

    [Fact]
    public async Task VariablesAreCheckedOnACachedDocumentToo()
    {
        const string query = "mutation($token: String!) { verifyToken(token: $token) { payload } }";
        Assert.Equal("TOKEN_INVALID", (await _app.Client.PostAsync(query, new { token = "x" })).FirstErrorCode);
        var (hits, _) = Lookups();

        var wrongType = await _app.Client.PostAsync(query, new { token = new[] { 1, 2 } });
        var missing = await _app.Client.PostAsync(query, new { });

        Assert.Equal(hits + 2, Lookups().Hits);
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.Status);
        Assert.Equal("BAD_REQUEST", wrongType.FirstErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal("BAD_REQUEST", missing.FirstErrorCode);
    }

    [Fact]
    public async Task ADocumentThatFailsValidationIsNeverCached()
    {
        const string invalid = "{ nope }";
        var (hits, misses) = Lookups();

        Assert.Equal(HttpStatusCode.BadRequest, (await _app.Client.PostAsync(invalid)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await _app.Client.PostAsync(invalid)).Status);

        Assert.Equal((hits, misses + 2), Lookups());
    }

    private (double Hits, double Misses) Lookups()
    {
        var counter = _app.Services.GetRequiredService<QraftMetrics>().DocumentCache;
        return (counter.WithLabels("hit").Value, counter.WithLabels("miss").Value);
    }

    /// <summary>A document rule like the standard ones: it counts the documents it was run on.</summary>
    private sealed class CountingRule : ValidationRuleBase
    {
        private int _runs;

        public int Runs => _runs;

        public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
        {
            Interlocked.Increment(ref _runs);
            return default;
        }
    }
}
