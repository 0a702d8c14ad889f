using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Qraft.Tests.Stack;

/// <summary>
/// End to end through HAProxy on the stack local/up starts (SPEC §6, §7; issue 4).
/// Every test starts from a stack with three replicas UP and leaves it so.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed partial class LocalStackTests(LocalStackFixture stack)
{
    private const string CreateUser = "mutation($e:String!,$p:String!){createUser(email:$e,password:$p){user{email}}}";
    private const string Login = "mutation($e:String!,$p:String!){login(email:$e,password:$p){token payload}}";
    private const string Password = "Vivid-Harbor-Lantern-42";

    [Fact]
    public async Task SignUpThenLogInThenLoggingInAgainIsRefusedOverVerifiedHttps()
    {
        await stack.WaitUntilAllUpAsync();
        var email = NewEmail();

        var (created, createdBody) = await stack.GraphqlAsync(CreateUser, new { e = email, p = Password });
        var (login, loginBody) = await stack.GraphqlAsync(Login, new { e = email, p = Password });
        var token = loginBody["data"]?["login"]?["token"]?.GetValue<string>();
        Assert.NotNull(token);
        var (again, againBody) = await stack.GraphqlAsync(Login, new { e = email, p = Password }, $"JWT {token}");

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(email, createdBody["data"]?["createUser"]?["user"]?["email"]?.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(3, token.Split('.').Length);
        Assert.Equal(email, loginBody["data"]?["login"]?["payload"]?["email"]?.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("ALREADY_LOGGED_IN", againBody["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>());
        Assert.Null(againBody["data"]?["login"]);
    }

    [Fact]
    public async Task ThreeHundredRequestsAreSpreadEvenlyOverTheThreeReplicas()
    {
        await stack.WaitUntilAllUpAsync();
        var servedBy = new Dictionary<string, int>(StringComparer.Ordinal);

        for (var i = 0; i < 300; i++)
        {
            using var response = await stack.Https.GetAsync(new Uri(stack.BaseUri, "/health"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var by = response.Headers.GetValues("X-Served-By").Single();
            servedBy[by] = servedBy.GetValueOrDefault(by) + 1;
        }

        Assert.Equal(stack.Instances.Order(StringComparer.Ordinal), servedBy.Keys.Order(StringComparer.Ordinal));
        Assert.All(servedBy.Values, n => Assert.InRange(n, 95, 105));
    }

    [Fact]
    public async Task StatsPageNeedsCredentialsAndShowsThreeServersUp()
    {
        await stack.WaitUntilAllUpAsync();

        using var anonymous = await stack.Https.GetAsync(new Uri(stack.BaseUri, "/stats"));
        using var wrong = new HttpRequestMessage(HttpMethod.Get, new Uri(stack.BaseUri, "/stats"));
        wrong.Headers.Authorization = new("Basic", Convert.ToBase64String("admin:wrong"u8.ToArray()));
        using var wrongResponse = await stack.Https.SendAsync(wrong);
        using var authorized = new HttpRequestMessage(HttpMethod.Get, new Uri(stack.BaseUri, "/stats"));
        authorized.Headers.Authorization = stack.StatsAuth();
        using var page = await stack.Https.SendAsync(authorized);
        var html = await page.Content.ReadAsStringAsync();
        var servers = await stack.BackendServersAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains(anonymous.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
        Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("be_app", html, StringComparison.Ordinal);
        Assert.Equal(stack.Instances, servers.Keys.Order(StringComparer.Ordinal));
        Assert.All(servers.Values, s => Assert.Equal("UP", s.Status));
    }

    [Fact]
    public async Task ExporterMetricsNeedCredentialsAndReportEachReplicaProcess()
    {
        await stack.WaitUntilAllUpAsync();

        using var anonymous = await stack.Https.GetAsync(new Uri(stack.BaseUri, "/metrics"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(stack.BaseUri, "/metrics"));
        request.Headers.Authorization = stack.StatsAuth();
        using var response = await stack.Https.SendAsync(request);
        var metrics = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var instance in stack.Instances)
        {
            Assert.Contains($"namedprocess_namegroup_num_procs{{groupname=\"qraft-{instance}\"}} 1", metrics, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PlainHttpIsRedirectedToHttpsOnTheConfiguredPort()
    {
        await stack.WaitUntilAllUpAsync();
        using var client = stack.CreateClient(allowRedirect: false);

        using var response = await client.GetAsync(new Uri(stack.HttpUri, "/graphql/?query=%7B__typename%7D"));

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(
            new Uri($"https://localhost:{stack.Ports.Https}/graphql/?query=%7B__typename%7D"),
            response.Headers.Location);
    }

    [Fact]
    public async Task HstsIsSentOnApplicationAndHaproxyResponses()
    {
        await stack.WaitUntilAllUpAsync();

        using var app = await stack.Https.GetAsync(new Uri(stack.BaseUri, "/health"));
        using var haproxy = await stack.Https.GetAsync(new Uri(stack.BaseUri, "/stats"));

        Assert.Equal(HttpStatusCode.OK, app.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, haproxy.StatusCode);
        foreach (var response in new[] { app, haproxy })
        {
            var hsts = response.Headers.GetValues("Strict-Transport-Security").Single();
            Assert.Matches("^max-age=[0-9]{8,}", hsts);
        }
    }

    [Theory]
    [InlineData("-tls1")]
    [InlineData("-tls1_1")]
    public async Task ProtocolsOlderThanTls12AreRefusedByTheServer(string protocol)
    {
        await stack.WaitUntilAllUpAsync();

        // SECLEVEL=0 lets OpenSSL 3's client offer the old protocol, so the refusal is the server's.
        var result = await SClientAsync(protocol, "-cipher", "DEFAULT:@SECLEVEL=0");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("alert protocol version", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls12AndTls13AreAccepted()
    {
        await stack.WaitUntilAllUpAsync();

        var tls12 = await SClientAsync("-tls1_2");
        var tls13 = await SClientAsync("-tls1_3");

        Assert.True(tls12.ExitCode == 0, tls12.ToString());
        Assert.Contains("Protocol  : TLSv1.2", tls12.Output, StringComparison.Ordinal);
        Assert.Contains("Verify return code: 0 (ok)", tls12.Output, StringComparison.Ordinal);
        Assert.True(tls13.ExitCode == 0, tls13.ToString());
        Assert.Contains("TLSv1.3", tls13.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoProcessOfTheStackListensBeyondLoopback()
    {
        await stack.WaitUntilAllUpAsync();
        var pids = await stack.AllProgramPidsAsync();
        Assert.Equal(9, pids.Length); // azurite, 3 replicas, haproxy, node- and process-exporter, prometheus, maildev
        var result = await Command.RunAsync("ss", ["-Hltnp"]);
        Assert.True(result.ExitCode == 0, result.ToString());

        var sockets = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => ListenLine().Match(line))
            .Where(m => m.Success)
            .Select(m => (Address: m.Groups["addr"].Value, Port: int.Parse(m.Groups["port"].Value, CultureInfo.InvariantCulture),
                Pids: PidOf().Matches(m.Groups["users"].Value).Select(p => int.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture)).ToList()))
            .ToList();
        var ours = sockets.Where(s => s.Pids.Intersect(pids).Any() || stack.Ports.Internal.Contains(s.Port)).ToList();

        Assert.All(stack.Ports.Internal, port => Assert.Contains(ours, s => s.Port == port));
        Assert.All(ours, s => Assert.Equal("127.0.0.1", s.Address));
    }

    [Fact]
    public async Task PrometheusScrapesEveryTargetAndEveryReplicasProcess()
    {
        await stack.WaitUntilAllUpAsync();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var prometheus = new Uri(stack.Env["QRAFT_PROMETHEUS_URL"]);

        await LocalStackFixture.WaitForAsync(
            async () => (await QueryAsync(client, prometheus, "up == 1")).Count == 7,
            TimeSpan.FromSeconds(60),
            "seven targets up in Prometheus");
        var up = await QueryAsync(client, prometheus, "up");
        var replicaProcesses = await QueryAsync(client, prometheus, "namedprocess_namegroup_num_procs{groupname=~\"qraft-app.\"} == 1");
        var replicaSeries = await QueryAsync(client, prometheus, "count by (instance) (qraft_signups_total)");

        Assert.Equal(
            ["haproxy/haproxy", "node/node-exporter", "process/process-exporter", "prometheus/prometheus", "qraft/app1", "qraft/app2", "qraft/app3"],
            up.Select(r => $"{r["metric"]?["job"]}/{r["metric"]?["instance"]}").Order(StringComparer.Ordinal));
        Assert.All(up, r => Assert.Equal("1", r["value"]?[1]?.GetValue<string>()));
        Assert.Equal(
            ["qraft-app1", "qraft-app2", "qraft-app3"],
            replicaProcesses.Select(r => r["metric"]?["groupname"]?.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["app1", "app2", "app3"],
            replicaSeries.Select(r => r["metric"]?["instance"]?.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task KilledReplicaIsTakenOutRestartedAndPutBackWhileRequestsKeepSucceeding()
    {
        await stack.WaitUntilAllUpAsync();
        var before = (await stack.BackendServersAsync())["app2"];
        var pid = await stack.ProgramPidAsync("apps:app2");
        Assert.True(pid > 0);
        using var client = stack.CreateClient(allowRedirect: false);
        await using var load = new SteadyLoad(client, stack.BaseUri);
        await load.WaitForMoreSuccessesAsync(50, TimeSpan.FromSeconds(30));

        await LocalStackFixture.SignalAsync(pid, "KILL");
        await LocalStackFixture.WaitForAsync(
            async () => (await stack.BackendServersAsync())["app2"].ChecksDown > before.ChecksDown,
            TimeSpan.FromSeconds(30),
            "HAProxy to mark app2 DOWN");
        await LocalStackFixture.WaitForAsync(
            async () => await stack.ProgramPidAsync("apps:app2") is var now && now > 0 && now != pid,
            TimeSpan.FromSeconds(60),
            "supervisord to restart app2");
        await stack.WaitUntilAllUpAsync();
        await load.WaitForMoreSuccessesAsync(50, TimeSpan.FromSeconds(30));
        var result = await load.StopAsync();

        Assert.True(result.Failures.Count <= load.Concurrency, string.Join('\n', result.Failures));
        Assert.True(result.Succeeded >= 100);
    }

    [Fact]
    public async Task RollingRestartWithSigtermDropsNoRequest()
    {
        await stack.WaitUntilAllUpAsync();
        using var client = stack.CreateClient(allowRedirect: false);
        await using var load = new SteadyLoad(client, stack.BaseUri);
        await load.WaitForMoreSuccessesAsync(50, TimeSpan.FromSeconds(30));

        foreach (var instance in stack.Instances)
        {
            var pid = await stack.ProgramPidAsync($"apps:{instance}");
            Assert.True(pid > 0);
            await LocalStackFixture.SignalAsync(pid, "TERM");
            await LocalStackFixture.WaitForAsync(
                async () => await stack.ProgramPidAsync($"apps:{instance}") is var now && now > 0 && now != pid,
                TimeSpan.FromSeconds(60),
                $"supervisord to restart {instance} after SIGTERM");
            await stack.WaitUntilAllUpAsync();
            await load.WaitForMoreSuccessesAsync(20, TimeSpan.FromSeconds(30));
        }

        var result = await load.StopAsync();

        Assert.Empty(result.Failures);
        Assert.Equal(stack.Instances, result.ServedBy.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task UserCreatedBeforeDownAndUpStillLogsIn()
    {
        await stack.WaitUntilAllUpAsync();
        var email = NewEmail();
        var (created, _) = await stack.GraphqlAsync(CreateUser, new { e = email, p = Password });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);

        var down = await stack.DownAsync();
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Empty(stack.ProcessesOfTheStack());
        await stack.UpAsync(skipBuild: true);
        await stack.WaitUntilAllUpAsync();
        var (login, body) = await stack.GraphqlAsync(Login, new { e = email, p = Password });

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Null(body["errors"]);
        Assert.Equal(email, body["data"]?["login"]?["payload"]?["email"]?.GetValue<string>());
    }

    [Fact]
    public async Task RunningUpAgainDetectsTheRunningStack()
    {
        await stack.WaitUntilAllUpAsync();
        var supervisord = await File.ReadAllTextAsync(stack.Env["QRAFT_SUPERVISORD_PIDFILE"]);

        await stack.UpAsync(skipBuild: true);

        Assert.Equal(supervisord, await File.ReadAllTextAsync(stack.Env["QRAFT_SUPERVISORD_PIDFILE"]));
        await stack.WaitUntilAllUpAsync();
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task StackEnvNamesEveryEndpointAndIsReadableByTheOwnerOnly()
    {
        await stack.WaitUntilAllUpAsync();
        var path = Path.Combine(stack.StateDir, "stack.env");
        string[] keys =
        [
            "QRAFT_URL", "QRAFT_HTTP_URL", "QRAFT_CA_FILE", "QRAFT_STATS_USER", "QRAFT_STATS_PASSWORD",
            "QRAFT_PROMETHEUS_URL", "QRAFT_APP_URLS", "QRAFT_LOG_DIR", "QRAFT_AZURITE_CONNECTION",
            "QRAFT_HAPROXY_EXPORTER_URL", "QRAFT_NODE_EXPORTER_URL", "QRAFT_PROCESS_EXPORTER_URL", "QRAFT_SUPERVISOR_CONF",
            "QRAFT_HTTPS_PORT", "QRAFT_HTTP_PORT", "QRAFT_APP_PORTS", "QRAFT_AZURITE_PORT", "QRAFT_PROMETHEUS_PORT", "QRAFT_EXPORTER_PORTS",
        ];

        var env = EnvFile.Read(path);
        using var direct = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var served = new List<string>();
        foreach (var url in env["QRAFT_APP_URLS"].Split(','))
        {
            using var response = await direct.GetAsync(new Uri(new Uri(url), "/health"));
            served.Add(response.Headers.GetValues("X-Served-By").Single());
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.All(keys, k => Assert.False(string.IsNullOrEmpty(env.GetValueOrDefault(k)), k));
        Assert.Equal(stack.Instances, served);
        Assert.Contains($"TableEndpoint=http://127.0.0.1:{stack.Ports.Azurite}/", env["QRAFT_AZURITE_CONNECTION"], StringComparison.Ordinal);
        Assert.Equal($"https://localhost:{stack.Ports.Https}", env["QRAFT_URL"]);
        Assert.Equal(string.Join(',', stack.Ports.Apps.Select(port => $"http://127.0.0.1:{port}")), env["QRAFT_APP_URLS"]);
    }

    private static string NewEmail() => $"e2e-{Guid.NewGuid():N}@example.com";

    private Task<CommandResult> SClientAsync(params string[] options) =>
        Command.RunAsync(
            "openssl",
            ["s_client", "-connect", $"127.0.0.1:{stack.Ports.Https}", "-servername", "localhost",
                "-CAfile", stack.Env["QRAFT_CA_FILE"], "-verify_return_error", .. options],
            timeout: TimeSpan.FromSeconds(20));

    private static async Task<List<JsonNode>> QueryAsync(HttpClient client, Uri prometheus, string query)
    {
        var json = await client.GetStringAsync(new Uri(prometheus, $"/api/v1/query?query={Uri.EscapeDataString(query)}"));
        var result = JsonNode.Parse(json)?["data"]?["result"]?.AsArray();
        return [.. (result ?? []).Where(n => n is not null).Select(n => n!)];
    }

    // ss -Hltnp: "LISTEN 0 4096 127.0.0.1:8443 0.0.0.0:* users:(("haproxy",pid=1,fd=5))"
    [GeneratedRegex(@"^LISTEN\s+\d+\s+\d+\s+(?<addr>\S+):(?<port>\d+)\s+\S+\s*(?<users>.*)$")]
    private static partial Regex ListenLine();

    [GeneratedRegex(@"pid=(\d+)")]
    private static partial Regex PidOf();
}
