using System.Net;
using System.Text.Json.Nodes;
using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.GraphQL;

/// <summary>Two replicas sharing one Azurite and one key behave as one service.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ReplicaTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ATokenFromOneReplicaIsAcceptedByTheOther()
    {
        var shared = QraftTestApp.SharedSettings(azurite.ConnectionString);
        await using var one = await QraftTestApp.StartAsync(shared, "one");
        await using var two = await QraftTestApp.StartAsync(shared, "two");
        var (email, password) = await one.Client.SignUpAsync();
        var token = await one.Client.LoginAsync(email, password);

        var me = await two.Client.PostAsync("{ me { email } }", authorization: $"JWT {token}");

        Assert.Equal(email, me.Data("me")!["email"]!.GetValue<string>());
        Assert.Equal("two", Assert.Single(me.Headers.GetValues("X-Served-By")));
    }

    [Fact]
    public async Task TwentyConcurrentSignUpsOfOneEmailThroughTwoReplicasCreateExactlyOneAccount()
    {
        var shared = QraftTestApp.SharedSettings(azurite.ConnectionString);
        await using var one = await QraftTestApp.StartAsync(shared, "one");
        await using var two = await QraftTestApp.StartAsync(shared, "two");
        var email = GraphQLClient.UniqueEmail();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            (i % 2 == 0 ? one : two).Client.PostAsync(GraphQLClient.CreateUser, new { email, password = "correct horse battery" })));

        Assert.Single(responses, r => r.Data("createUser") is JsonObject);
        Assert.Equal(19, responses.Count(r => r.FirstErrorCode == "EMAIL_TAKEN"));
    }
}

/// <summary>Storage taken away and brought back (SPEC §4): fast, coded failures; readiness follows; nothing lost.</summary>
[Collection(OutageCollection.Name)]
public sealed class StorageOutageApiTests : IAsyncLifetime
{
    private AzuriteProcess _azurite = null!;

    public async Task InitializeAsync() => _azurite = await AzuriteProcess.StartNewAsync();

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    [Fact]
    public async Task StorageDownGivesStorageUnavailableAndReadiness503ThenRecoversWithEveryAcknowledgedUser()
    {
        await using var app = await QraftTestApp.StartAsync(QraftTestApp.SharedSettings(_azurite.ConnectionString));
        var acknowledged = new List<(string Email, string Password)>();
        for (var i = 0; i < 3; i++)
        {
            acknowledged.Add(await app.Client.SignUpAsync());
        }

        await _azurite.StopAsync();
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            var during = await app.Client.PostAsync(
                GraphQLClient.CreateUser, new { email = GraphQLClient.UniqueEmail(), password = "correct horse battery" }, cancellationToken: deadline.Token);
            Assert.Equal(HttpStatusCode.OK, during.Status);
            Assert.Equal("STORAGE_UNAVAILABLE", during.FirstErrorCode);
        }

        using (var ready = await app.Client.Http.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("storageunreachable", await ready.Content.ReadAsStringAsync());
        }

        using (var alive = await app.Client.Http.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
            Assert.Equal("alive", await alive.Content.ReadAsStringAsync());
        }

        await _azurite.StartAsync();

        using (var ready = await app.Client.Http.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal("ready", await ready.Content.ReadAsStringAsync());
            Assert.Equal("text/plain; charset=utf-8", ready.Content.Headers.ContentType?.ToString());
        }

        foreach (var (email, password) in acknowledged)
        {
            Assert.False(string.IsNullOrEmpty(await app.Client.LoginAsync(email, password)));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class OutageCollection
{
    public const string Name = "Storage outage";
}
