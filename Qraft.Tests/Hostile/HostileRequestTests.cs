using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Qraft.Tests.Stack;
using Xunit.Abstractions;

namespace Qraft.Tests.Hostile;

/// <summary>
/// The hostile corpus (<see cref="HostileCorpus"/>) and injection-looking accounts, through HAProxy on the local stack
/// (issue 6). Response times are recorded in bench/hostile-timings.md (see <see cref="BenchReport"/>), not asserted.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class HostileRequestTests(LocalStackFixture stack, ITestOutputHelper output)
{
    internal static readonly HashSet<string> SpecCodes =
    [
        "ALREADY_LOGGED_IN", "INVALID_CREDENTIALS", "EMAIL_TAKEN", "INVALID_EMAIL", "WEAK_PASSWORD", "TOKEN_EXPIRED",
        "TOKEN_INVALID", "UNAUTHENTICATED", "FORBIDDEN", "RATE_LIMITED", "STORAGE_UNAVAILABLE", "BAD_REQUEST", "INTERNAL",
        "TOO_MANY_FRAGMENTS", "TOO_MANY_DIRECTIVES", "TOO_MANY_ARGUMENTS", "TOO_MANY_SELECTIONS", "TOO_MANY_ROOT_FIELDS",
    ];

    private const string Password = "Vivid-Harbor-Lantern-42";

    [Fact]
    public async Task EveryHostileRequestGetsA4xxOrASpecCodedErrorAndTheReplicasStayReady()
    {
        await stack.WaitUntilAllUpAsync();
        var corpus = HostileCorpus.All();
        Assert.True(corpus.Count >= 100, $"only {corpus.Count} cases");
        Assert.Equal(corpus.Count, corpus.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count());
        var before = await stack.BackendServersAsync();
        var pids = await stack.AllProgramPidsAsync();
        using var client = stack.CreateClientFrom(stack.NewLoopbackSource());

        var verdicts = new List<(HostileCase Case, int Status, TimeSpan Elapsed, string? Problem)>();
        foreach (var hostile in corpus)
        {
            var (status, body, servedBy, elapsed) = await SendAsync(client, hostile);
            verdicts.Add((hostile, status, elapsed, Judge(hostile, status, body, servedBy)));
        }

        var after = await stack.BackendServersAsync();
        WriteReport(verdicts);
        var problems = verdicts.Where(v => v.Problem is not null).Select(v => $"{v.Case.Name}: {v.Problem}").ToList();
        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.All(after.Values, s => Assert.Equal("UP", s.Status));
        Assert.Equal(before.ToDictionary(s => s.Key, s => s.Value.ChecksDown), after.ToDictionary(s => s.Key, s => s.Value.ChecksDown));
        Assert.Equal(pids, await stack.AllProgramPidsAsync());
        using var direct = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var url in stack.Env["QRAFT_APP_URLS"].Split(','))
        {
            using var ready = await direct.GetAsync(new Uri(new Uri(url), "/health/ready"));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
    }

    [Fact]
    public async Task InjectionLookingEmailsAndPasswordsAreStoredAndReturnedVerbatim()
    {
        await stack.WaitUntilAllUpAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];
        (string Email, string Password)[] accounts =
        [
            ($"o'hara+{tag}@example.com", "' OR 1=1 --"),
            ($"x'or'1'eq'1{tag}@Example.COM", "') or PartitionKey ne ('"),
            ($"a/b#c?d%27{tag}@example.com", "<script>alert(1)</script>"),
            ($"{{{{7*7}}}}{tag}@example.com", "${jndi:ldap://x/a}; DROP TABLE users;"),
        ];
        using var client = stack.CreateClientFrom(stack.NewLoopbackSource());

        foreach (var (email, password) in accounts)
        {
            var expected = email[..email.IndexOf('@', StringComparison.Ordinal)] + email[email.IndexOf('@', StringComparison.Ordinal)..].ToLowerInvariant();
            var (_, created) = await stack.GraphqlAsync(
                "mutation($e:String!,$p:String!){createUser(email:$e,password:$p){user{email}}}", new { e = email, p = password }, client: client);
            Assert.True(created["errors"] is null, created.ToJsonString());
            Assert.Equal(expected, created["data"]?["createUser"]?["user"]?["email"]?.GetValue<string>());

            var (_, login) = await stack.GraphqlAsync(
                "mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}", new { e = email, p = password }, client: client);
            var token = login["data"]?["login"]?["token"]?.GetValue<string>();
            Assert.True(token is not null, login.ToJsonString());
            var (_, me) = await stack.GraphqlAsync("{ me { email } }", new { }, $"JWT {token}", client);
            Assert.Equal(expected, me["data"]?["me"]?["email"]?.GetValue<string>());

            var (_, twice) = await stack.GraphqlAsync(
                "mutation($e:String!,$p:String!){createUser(email:$e,password:$p){user{email}}}", new { e = email.ToUpperInvariant(), p = password }, client: client);
            Assert.Equal("EMAIL_TAKEN", twice["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>());
        }
    }

    /// <summary>Why a response breaks the rules of issue 6, or <see langword="null"/> when it keeps them.</summary>
    private static string? Judge(HostileCase hostile, int status, string body, string? servedBy)
    {
        if (status is 0 or >= 500)
        {
            return $"HTTP {status}: {Clip(body)}";
        }

        if (hostile.Statuses.Length > 0 && !hostile.Statuses.Contains(status))
        {
            return $"HTTP {status}, expected {string.Join(" or ", hostile.Statuses)}: {Clip(body)}";
        }

        if (status is >= 400 and < 500 && servedBy is null)
        {
            // HAProxy's own refusal (bad request line, unknown path, missing credentials): a 4xx before any replica.
            return hostile.Code is null ? null : $"HAProxy answered {status}, expected the app's {hostile.Code}";
        }

        if (status is >= 400 and < 500 && body.Length == 0)
        {
            // Routing's own refusal before the GraphQL handler (405 for PUT, DELETE, ...): the status is the answer.
            return hostile.Code is null ? null : $"HTTP {status} with an empty body, expected {hostile.Code}";
        }

        JsonNode? json;
        try
        {
            json = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return $"HTTP {status} with a body that is not JSON: {Clip(body)}";
        }

        var errors = json?["errors"] as JsonArray;
        var codes = errors?.Select(e => e?["extensions"]?["code"]?.GetValue<string>()).ToList() ?? [];
        if (codes.Any(c => c is null || !SpecCodes.Contains(c) || c == "INTERNAL"))
        {
            return $"error codes [{string.Join(", ", codes)}] are not all SPEC codes short of INTERNAL: {Clip(body)}";
        }

        if (status >= 400 && codes.Count == 0)
        {
            return $"HTTP {status} from the app without a GraphQL error: {Clip(body)}";
        }

        if (status == 200 && codes.Count == 0 && json?["data"] is not JsonObject)
        {
            return $"HTTP 200 with neither data nor an error: {Clip(body)}";
        }

        if (hostile.Code is not null && (codes.Count == 0 || codes[0] != hostile.Code))
        {
            return $"first code {(codes.Count == 0 ? "none" : codes[0])}, expected {hostile.Code}: {Clip(body)}";
        }

        return null;
    }

    private async Task<(int Status, string Body, string? ServedBy, TimeSpan Elapsed)> SendAsync(HttpClient client, HostileCase hostile)
    {
        if (hostile.RawPath)
        {
            return await CurlAsync(hostile.PathAndQuery);
        }

        using var request = new HttpRequestMessage(hostile.Method, new Uri(stack.BaseUri, hostile.PathAndQuery));
        if (hostile.Body is not null)
        {
            HttpContent content = hostile.Chunked
                ? new StreamContent(new MemoryStream(hostile.Body))
                : new ByteArrayContent(hostile.Body);
            if (hostile.ContentType is not null)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", hostile.ContentType);
            }

            request.Content = content;
        }

        foreach (var (name, value) in hostile.Headers ?? [])
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var servedBy = response.Headers.TryGetValues("X-Served-By", out var values) ? values.First() : null;
            return ((int)response.StatusCode, body, servedBy, clock.Elapsed);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return (0, $"{e.GetType().Name}: {e.Message}", null, clock.Elapsed);
        }
    }

    /// <summary>GET of a raw path (dot segments and escapes as typed) with curl, which System.Uri would normalize.</summary>
    private async Task<(int Status, string Body, string? ServedBy, TimeSpan Elapsed)> CurlAsync(string path)
    {
        var clock = Stopwatch.StartNew();
        var result = await Command.RunAsync(
            "curl",
            ["-sS", "--path-as-is", "--http1.1", "--max-time", "20", "--cacert", stack.Env["QRAFT_CA_FILE"], "-D", "-", $"{stack.BaseUri.ToString().TrimEnd('/')}{path}"]);
        var elapsed = clock.Elapsed;
        var text = result.StdOut.Replace("\r", "", StringComparison.Ordinal);
        var headerEnd = text.IndexOf("\n\n", StringComparison.Ordinal);
        if (result.ExitCode != 0 || headerEnd < 0)
        {
            return (0, result.ToString(), null, elapsed);
        }

        var headers = text[..headerEnd].Split('\n');
        var status = int.Parse(headers[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var servedBy = headers.FirstOrDefault(h => h.StartsWith("x-served-by:", StringComparison.OrdinalIgnoreCase))?.Split(':', 2)[1].Trim();
        return (status, text[(headerEnd + 2)..], servedBy, elapsed);
    }

    private void WriteReport(List<(HostileCase Case, int Status, TimeSpan Elapsed, string? Problem)> verdicts)
    {
        var ordered = verdicts.OrderByDescending(v => v.Elapsed).ToList();
        var report = new StringBuilder()
            .AppendLine("# Hostile requests through HAProxy: response times")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Written by `HostileRequestTests` (QRAFT_BENCH_DIR set) on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {verdicts.Count} requests, one at a time, over one")
            .AppendLine("keep-alive HTTPS connection from a client on the same machine (2 shared cores), so each time is the server's time")
            .AppendLine("plus a loopback round trip; under local/test the in-process test collections run alongside on the same cores.")
            .AppendLine("Hashing cases pay PBKDF2 at the stack's 600,000 iterations. Recorded, not asserted (issue 6's bound: 1 s).")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"* slowest: {ordered[0].Elapsed.TotalMilliseconds:0} ms ({ordered[0].Case.Name})")
            .AppendLine(CultureInfo.InvariantCulture, $"* median: {ordered[ordered.Count / 2].Elapsed.TotalMilliseconds:0} ms; over 1 s: {verdicts.Count(v => v.Elapsed > TimeSpan.FromSeconds(1))}")
            .AppendLine(CultureInfo.InvariantCulture, $"* rule violations: {verdicts.Count(v => v.Problem is not null)}")
            .AppendLine()
            .AppendLine("| ms | status | case |")
            .AppendLine("| ---: | ---: | --- |");
        foreach (var (hostile, status, elapsed, problem) in ordered)
        {
            var name = hostile.Name.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
            report.AppendLine(CultureInfo.InvariantCulture, $"| {elapsed.TotalMilliseconds:0} | {status} | {name}{(problem is null ? "" : " **" + problem.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal) + "**")} |");
        }

        output.WriteLine(report.ToString());
        BenchReport.TryWrite("hostile-timings.md", report.ToString());
    }

    private static string Clip(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
