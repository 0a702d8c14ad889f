using System.Globalization;
using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Observability;

/// <summary>The replica's <c>/metrics</c> as Prometheus scrapes it.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class MetricsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task CountersMoveByExactlyTheOperationsMadeAndNoEmailOrTokenIsExported()
    {
        var settings = QraftTestApp.SharedSettings(azurite.ConnectionString);
        settings["Qraft:Throttle:MaxFailuresPerAccount"] = "2";
        await using var app = await QraftTestApp.StartAsync(settings, "metrics");
        var before = await ScrapeAsync(app);

        var (email, password) = await app.Client.SignUpAsync();
        var login = await app.Client.PostAsync(GraphQLClient.Login, new { email, password });
        var wrong1 = await app.Client.PostAsync(GraphQLClient.Login, new { email, password = "wrong horse battery" });
        var wrong2 = await app.Client.PostAsync(GraphQLClient.Login, new { email, password = "wrong horse battery" });
        var throttled = await app.Client.PostAsync(GraphQLClient.Login, new { email, password });
        await app.Client.PostAsync("{ __typename }");

        var text = await ScrapeTextAsync(app);
        var after = Parse(text);
        double Delta(string series) => after.GetValueOrDefault(series) - before.GetValueOrDefault(series);

        var invalid = wrong1.FirstErrorCode;
        Assert.Equal(invalid, wrong2.FirstErrorCode);
        var refused = throttled.FirstErrorCode;
        Assert.NotNull(invalid);
        Assert.NotNull(refused);
        Assert.NotEqual(invalid, refused);

        Assert.Equal(1, Delta("qraft_signups_total"));
        Assert.Equal(1, Delta("""qraft_logins_total{result="ok"}"""));
        Assert.Equal(2, Delta("""qraft_logins_total{result="invalid_credentials"}"""));
        Assert.Equal(1, Delta("""qraft_logins_total{result="throttled"}"""));
        Assert.Equal(1, Delta("qraft_login_throttled_total"));
        Assert.Equal(1, Delta("""qraft_graphql_requests_total{operation="createUser",outcome="ok"}"""));
        Assert.Equal(1, Delta("""qraft_graphql_requests_total{operation="login",outcome="ok"}"""));
        Assert.Equal(2, Delta($$"""qraft_graphql_requests_total{operation="login",outcome="{{invalid}}"}"""));
        Assert.Equal(1, Delta($$"""qraft_graphql_requests_total{operation="login",outcome="{{refused}}"}"""));
        Assert.Equal(1, Delta("""qraft_graphql_requests_total{operation="__typename",outcome="ok"}"""));
        Assert.Equal(6, after.Where(s => s.Key.StartsWith("qraft_graphql_requests_total{", StringComparison.Ordinal)).Sum(s => s.Value)
            - before.Where(s => s.Key.StartsWith("qraft_graphql_requests_total{", StringComparison.Ordinal)).Sum(s => s.Value));
        Assert.Equal(1, Delta("""qraft_graphql_request_duration_seconds_count{operation="createUser",outcome="ok"}"""));

        // Histograms with their buckets, the library's process metrics, and storage timed per operation.
        Assert.Contains("""qraft_graphql_request_duration_seconds_bucket{operation="login",outcome="ok",le="0.005"}""", after.Keys);
        Assert.Contains("""qraft_graphql_request_duration_seconds_bucket{operation="login",outcome="ok",le="+Inf"}""", after.Keys);
        Assert.Contains("""qraft_password_hash_duration_seconds_bucket{le="0.1"}""", after.Keys);
        Assert.True(Delta("qraft_password_hash_duration_seconds_count") >= 3, "every checked password is timed");
        Assert.Contains("process_cpu_seconds_total", after.Keys);
        Assert.Contains(after.Keys, s => s is "process_working_set_bytes" or "process_open_handles");
        foreach (var operation in new[] { "users.insert", "users.get", "users.record_login", "refreshtokens.issue", "loginthrottle.check", "loginthrottle.record_failure" })
        {
            Assert.True(Delta($$"""qraft_storage_call_duration_seconds_count{operation="{{operation}}"}""") >= 1, operation);
            Assert.Contains($$"""qraft_storage_call_duration_seconds_bucket{operation="{{operation}}",le="+Inf"}""", after.Keys);
        }

        Assert.DoesNotContain(email, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(login.Data("login")!["token"]!.GetValue<string>(), text, StringComparison.Ordinal);
        Assert.DoesNotContain(login.Data("login")!["refreshToken"]!.GetValue<string>(), text, StringComparison.Ordinal);
    }

    private static async Task<Dictionary<string, double>> ScrapeAsync(QraftTestApp app) => Parse(await ScrapeTextAsync(app));

    private static async Task<string> ScrapeTextAsync(QraftTestApp app)
    {
        using var response = await app.Client.Http.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Prometheus text format: <c>name{labels} value</c> per line, comments skipped.</summary>
    private static Dictionary<string, double> Parse(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith('#'))
            .Select(line => (Series: line[..line.LastIndexOf(' ')], Value: line[(line.LastIndexOf(' ') + 1)..]))
            .ToDictionary(s => s.Series, s => double.Parse(s.Value, CultureInfo.InvariantCulture));
}
