using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Observability;

/// <summary>The replica's rolling JSON log as operators read it: one line per operation, no secret in any file.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class LogFileTests(AzuriteFixture azurite)
{
    private const string Refresh = "mutation($r:String!){refreshToken(refreshToken:$r){token refreshToken}}";

    [Fact]
    public async Task EveryGraphQLOperationWritesOneJsonLineWithItsRequestIdAndNoLogFileHoldsASecret()
    {
        await using var app = await QraftTestApp.StartAsync(QraftTestApp.SharedSettings(azurite.ConnectionString), "logs-a");
        var email = GraphQLClient.UniqueEmail();
        const string password = "correct horse battery";
        const string wrongPassword = "wrong horse battery";

        var signUp = await app.Client.PostAsync(GraphQLClient.CreateUser, new { email, password });
        var login = await app.Client.PostAsync(GraphQLClient.Login, new { email, password });
        var failed = await app.Client.PostAsync(GraphQLClient.Login, new { email, password = wrongPassword });
        var accessToken = login.Data("login")!["token"]!.GetValue<string>();
        var refreshToken = login.Data("login")!["refreshToken"]!.GetValue<string>();
        var me = await app.Client.PostAsync("{ me { email } }", authorization: $"JWT {accessToken}");
        var refreshed = await app.Client.PostAsync(Refresh, new { r = refreshToken });
        var malformed = await app.Client.PostAsync("{ me { ");

        var expected = new (GqlResponse Response, string Type, string Operation, string Outcome, int Status)[]
        {
            (signUp, "mutation", "createUser", "ok", 200),
            (login, "mutation", "login", "ok", 200),
            (failed, "mutation", "login", failed.FirstErrorCode!, 200),
            (me, "query", "me", "ok", 200),
            (refreshed, "mutation", "refreshToken", "ok", 200),
            (malformed, "unknown", "invalid", "BAD_REQUEST", 400),
        };
        var lines = await LogFile.WaitForOperationLinesAsync(app.LogFolder, expected.Length);

        Assert.Equal(expected.Length, lines.Count);
        foreach (var ((response, type, operation, outcome, status), line) in expected.Zip(lines))
        {
            var requestId = response.Headers.GetValues("X-Request-Id").Single();
            Assert.Equal(requestId, line["requestId"]?.GetValue<string>());
            Assert.Equal(requestId, line["RequestId"]?.GetValue<string>());
            Assert.Equal(type, line["OperationType"]?.GetValue<string>());
            Assert.Equal(operation, line["Operation"]?.GetValue<string>());
            Assert.Equal(outcome, line["Outcome"]?.GetValue<string>());
            Assert.Equal(status, line["Status"]?.GetValue<int>());
            Assert.True(line["ElapsedMs"]?.GetValue<double>() >= 0, line.ToJsonString());
            Assert.Equal("logs-a", line["instance"]?.GetValue<string>());
        }

        var secrets = new[]
        {
            password,
            wrongPassword,
            signUp.Data("createUser")!["user"]!["password"]!.GetValue<string>(),
            accessToken,
            refreshToken,
            refreshed.Data("refreshToken")!["token"]!.GetValue<string>(),
            refreshed.Data("refreshToken")!["refreshToken"]!.GetValue<string>(),
        };
        var everything = LogFile.ReadAll(app.LogFolder);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, everything, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithATinySizeLimitTheLogRollsAndKeepsTheConfiguredNumberOfFiles()
    {
        var settings = QraftTestApp.SharedSettings(azurite.ConnectionString);
        settings["Logging:File:FileSizeLimitBytes"] = "2048";
        settings["Logging:File:RetainedFileCountLimit"] = "2";
        await using var app = await QraftTestApp.StartAsync(settings, "logs-b");

        // Each operation line is a few hundred bytes, so these fill several 2 KB files.
        for (var i = 0; i < 30; i++)
        {
            await app.Client.PostAsync("{ __typename }");
        }

        // The background writer may be between opening the next file and deleting the oldest: a bounded wait for
        // retention to catch up, which a broken retention never does.
        var files = Directory.GetFiles(app.LogFolder);
        for (var waited = 0; files.Length != 2 && waited < 50; waited++)
        {
            await Task.Delay(100);
            files = Directory.GetFiles(app.LogFolder);
        }

        Assert.Equal(2, files.Length);
        Assert.Contains(files, f => Path.GetFileName(f) != "qraft_users-logs-b.log");
    }
}
