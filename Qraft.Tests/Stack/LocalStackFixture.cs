using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Stack;

[CollectionDefinition(Name)]
public sealed class LocalStackCollection : ICollectionFixture<LocalStackFixture>
{
    public const string Name = "local stack";
}

/// <summary>
/// The whole local stack (local/up) in a temp state dir on ports it picks itself (QRAFT_PORTS=auto), for the
/// end-to-end tests of one collection. local/down on dispose, then anything of
/// the stack still alive is killed by PID.
/// </summary>
public sealed class LocalStackFixture : IAsyncLifetime
{
    private static readonly TimeSpan UpTimeout = TimeSpan.FromMinutes(15);
    private readonly TempDir _dir = new("qraft-e2e-");
    private X509Certificate2? _ca;
    private int _sources;

    public string StateDir => Path.Combine(_dir.Path, "state");

    public IReadOnlyDictionary<string, string> Env { get; private set; } = new Dictionary<string, string>();

    public Uri BaseUri => new(Env["QRAFT_URL"]);

    public Uri HttpUri => new(Env["QRAFT_HTTP_URL"]);

    /// <summary>The ports local/up picked (QRAFT_PORTS=auto), from its stack.env.</summary>
    public StackPorts Ports => StackPorts.From(Env);

    public IReadOnlyList<string> Instances { get; } = ["app1", "app2", "app3"];

    /// <summary>HTTPS through HAProxy, trusting only the stack's own CA.</summary>
    public HttpClient Https { get; private set; } = null!;

    public string StatsUser => Env["QRAFT_STATS_USER"];

    public string StatsPassword => Env["QRAFT_STATS_PASSWORD"];

    private Dictionary<string, string> StackEnvironment => new()
    {
        ["QRAFT_STATE_DIR"] = StateDir,
        ["QRAFT_CERT_DIR"] = Path.Combine(_dir.Path, "certs"),
        ["QRAFT_PORTS"] = "auto",
        ["QRAFT_UP_TIMEOUT"] = "180",

        // ES256, so that the published key set is tested end to end; nothing else here depends on the algorithm.
        ["QRAFT_JWT_ALGORITHM"] = "ES256",
    };

    public async Task InitializeAsync()
    {
        await UpAsync(skipBuild: false);
    }

    public async Task DisposeAsync()
    {
        try
        {
            Https?.Dispose();
            _ca?.Dispose();
            await Command.RunAsync(RepoPaths.Of("local", "down"), [], StackEnvironment, timeout: TimeSpan.FromMinutes(3));
        }
        finally
        {
            KillLeftovers();
            _dir.Dispose();
        }
    }

    /// <summary>Runs local/up (again) and reloads stack.env.</summary>
    public async Task UpAsync(bool skipBuild)
    {
        var env = StackEnvironment;
        if (skipBuild)
        {
            env["QRAFT_SKIP_BUILD"] = "1";
        }

        var up = await Command.RunAsync(RepoPaths.Of("local", "up"), [], env, timeout: UpTimeout);
        if (up.ExitCode != 0)
        {
            var logs = ReadLogTails();
            throw new InvalidOperationException($"local/up failed:\n{up}\n{logs}");
        }

        Env = EnvFile.Read(Path.Combine(StateDir, "stack.env"));
        Https?.Dispose();
        _ca?.Dispose();
        _ca = X509CertificateLoader.LoadCertificateFromFile(Env["QRAFT_CA_FILE"]);
        Https = CreateClient(allowRedirect: true);
    }

    /// <summary>Runs local/down; returns its result.</summary>
    public Task<CommandResult> DownAsync() =>
        Command.RunAsync(RepoPaths.Of("local", "down"), [], StackEnvironment, timeout: TimeSpan.FromMinutes(3));

    public HttpClient CreateClient(bool allowRedirect)
    {
        var handler = TrustingTheStackCa();
        handler.AllowAutoRedirect = allowRedirect;
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>
    /// HTTPS through HAProxy from another loopback address (127.0.0.0/8 all reaches the host), so HAProxy's
    /// X-Forwarded-For names this client alone: throttling per address then sees it apart from every other test.
    /// </summary>
    public HttpClient CreateClientFrom(IPAddress source)
    {
        var handler = TrustingTheStackCa();
        handler.AllowAutoRedirect = false;
        handler.ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>HTTPS that trusts the stack's own CA and nothing else.</summary>
    private SocketsHttpHandler TrustingTheStackCa()
    {
        var ca = _ca ?? throw new InvalidOperationException("stack not up");
        return new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { ca },
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            },
        };
    }

    /// <summary>A loopback address no other caller of this method uses in this process (127.x.y.z, never 127.0.0.1).</summary>
    public IPAddress NewLoopbackSource() =>
        new([127, (byte)(10 + Interlocked.Increment(ref _sources)), (byte)Random.Shared.Next(1, 255), (byte)Random.Shared.Next(1, 255)]);

    public AuthenticationHeaderValue StatsAuth() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{StatsUser}:{StatsPassword}")));

    /// <summary>POSTs a GraphQL operation through HAProxy.</summary>
    public async Task<(HttpResponseMessage Response, JsonNode Body)> GraphqlAsync(
        string query, object variables, string? authorization = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUri, "/graphql/"))
        {
            Content = new StringContent(
                JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await (client ?? Https).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = JsonNode.Parse(text) ?? throw new InvalidOperationException($"empty GraphQL body: {text}");
        return (response, body);
    }

    /// <summary>HAProxy's view of be_app (stats page, CSV): server name to (status, UP-to-DOWN transitions).</summary>
    public async Task<Dictionary<string, (string Status, int ChecksDown)>> BackendServersAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUri, "/stats;csv"));
        request.Headers.Authorization = StatsAuth();
        using var response = await Https.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].TrimStart('#', ' ').Split(',');
        var status = Array.IndexOf(header, "status");
        var chkdown = Array.IndexOf(header, "chkdown");
        var servers = new Dictionary<string, (string, int)>(StringComparer.Ordinal);
        foreach (var fields in lines.Skip(1).Select(l => l.Split(',')))
        {
            if (fields[0] == "be_app" && fields[1] is not ("BACKEND" or "FRONTEND"))
            {
                var down = int.TryParse(fields[chkdown], CultureInfo.InvariantCulture, out var n) ? n : 0;
                servers[fields[1]] = (fields[status], down);
            }
        }

        return servers;
    }

    /// <summary>Waits (bounded) until HAProxy reports all three replicas UP.</summary>
    public Task WaitUntilAllUpAsync(TimeSpan? timeout = null) =>
        WaitForAsync(
            async () => (await BackendServersAsync()).Values.Count(s => s.Status == "UP") == 3,
            timeout ?? TimeSpan.FromSeconds(90),
            "all three replicas UP in HAProxy");

    /// <summary>The PID supervisord reports for a program (0 when not running).</summary>
    public async Task<int> ProgramPidAsync(string program)
    {
        var result = await Command.RunAsync("supervisorctl", ["-c", Env["QRAFT_SUPERVISOR_CONF"], "pid", program]);
        return int.TryParse(result.StdOut.Trim(), CultureInfo.InvariantCulture, out var pid) ? pid : 0;
    }

    /// <summary>PIDs of every program of the stack, as supervisord reports them.</summary>
    public async Task<int[]> AllProgramPidsAsync()
    {
        var result = await Command.RunAsync("supervisorctl", ["-c", Env["QRAFT_SUPERVISOR_CONF"], "pid", "all"]);
        return [.. result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => int.TryParse(l.Trim(), CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0)];
    }

    public static async Task SignalAsync(int pid, string signal)
    {
        var result = await Command.RunAsync("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    public static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        Exception? last = null;
        while (!cts.IsCancellationRequested)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                last = e;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        throw new TimeoutException($"gave up after {timeout} waiting for {what}; last error: {last?.Message}");
    }

    /// <summary>PIDs of live processes whose command line names this stack's state dir.</summary>
    public List<int> ProcessesOfTheStack()
    {
        var marker = StateDir + "/";
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(marker, StringComparison.Ordinal))
                {
                    pids.Add(pid);
                }
            }
            catch (IOException)
            {
                // exited meanwhile
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return pids;
    }

    private void KillLeftovers()
    {
        foreach (var pid in ProcessesOfTheStack())
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
            catch (ArgumentException)
            {
                // already gone
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    private string ReadLogTails()
    {
        var logs = Path.Combine(StateDir, "logs");
        if (!Directory.Exists(logs))
        {
            return "(no logs)";
        }

        var text = new StringBuilder();
        foreach (var file in Directory.GetFiles(logs, "*.log").Order(StringComparer.Ordinal))
        {
            var lines = File.ReadAllLines(file);
            text.AppendLine(CultureInfo.InvariantCulture, $"--- {file} (last 15 lines) ---");
            foreach (var line in lines.TakeLast(15))
            {
                text.AppendLine(line);
            }
        }

        return text.ToString();
    }
}
