using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Qraft.Bench;

/// <summary>The local stack under test, found through the stack.env that local/up writes (SPEC §8).</summary>
public sealed class Stack : IDisposable
{
    private readonly BenchOptions _options;
    private readonly X509Certificate2 _ca;

    private Stack(BenchOptions options, IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> secrets)
    {
        _options = options;
        Settings = settings;
        StateDir = settings["QRAFT_STATE_DIR"];
        Url = new Uri(settings["QRAFT_URL"]);
        AppUrls = settings["QRAFT_APP_URLS"].Split(',').Select(u => new Uri(u)).ToArray();
        SigningKey = secrets["QRAFT_JWT_SIGNING_KEY"];
        AzuriteConnection = settings["QRAFT_AZURITE_CONNECTION"];
        _ca = X509CertificateLoader.LoadCertificateFromFile(settings["QRAFT_CA_FILE"]);
        Https = new HttpClient(TrustingHandler()) { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public IReadOnlyDictionary<string, string> Settings { get; }

    public string StateDir { get; }

    public Uri Url { get; }

    public Uri GraphQLUrl => new(Url, "/graphql/");

    public IReadOnlyList<Uri> AppUrls { get; }

    public string SigningKey { get; }

    public string AzuriteConnection { get; }

    /// <summary>Trusts the stack's own CA, as the tests do, instead of turning validation off.</summary>
    public HttpClient Https { get; }

    /// <summary>
    /// A client for load through HAProxy: up to <paramref name="connections"/> keep-alive connections, each counted by
    /// <paramref name="opened"/> as it is made, with Nagle off as wrk has it.
    /// </summary>
    public HttpClient CreateLoadClient(int connections, Action opened)
    {
        var handler = TrustingHandler();
        handler.MaxConnectionsPerServer = connections;
        handler.ConnectCallback = async (context, cancellationToken) =>
        {
            opened();
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
        return new HttpClient(handler);
    }

    public string PublishedApp => Path.Combine(StateDir, "app", "Qraft.Functions.dll");

    public static Stack Load(BenchOptions options)
    {
        var settings = ReadEnvFile(options.StackEnvFile ?? throw new ArgumentException("--stack-env is required"));
        var secrets = ReadEnvFile(Path.Combine(settings["QRAFT_STATE_DIR"], "secrets.env"));
        return new Stack(options, settings, secrets);
    }

    /// <summary>The settings local/up was given, as its stack.env repeats them, so local/render renders the same stack.</summary>
    private static readonly string[] StackSettings =
    [
        "QRAFT_STATE_DIR", "QRAFT_HTTPS_PORT", "QRAFT_HTTP_PORT", "QRAFT_APP_PORTS", "QRAFT_AZURITE_PORT", "QRAFT_PROMETHEUS_PORT", "QRAFT_EXPORTER_PORTS",
    ];

    /// <summary>Re-renders supervisord.conf with new replica settings and restarts the replicas only (Azurite and HAProxy stay).</summary>
    public async Task RestartReplicasAsync(int passwordIterations)
    {
        var environment = StackSettings.ToDictionary(name => name, name => Settings[name]);
        environment["QRAFT_CERT_DIR"] = Path.GetDirectoryName(Settings["QRAFT_CA_FILE"])!;
        environment["QRAFT_PASSWORD_ITERATIONS"] = passwordIterations.ToString(CultureInfo.InvariantCulture);
        await Shell.CheckedAsync(Path.Combine(_options.RepoDir, "local", "render"), [], TimeSpan.FromMinutes(1), environment);
        await Shell.CheckedAsync("supervisorctl", ["-c", Settings["QRAFT_SUPERVISOR_CONF"], "update", "apps"], TimeSpan.FromMinutes(2));
        await WaitAllReplicasUpAsync(TimeSpan.FromSeconds(90));
    }

    /// <summary>Waits until HAProxy itself reports the three replicas UP, so no request meets a half-started backend.</summary>
    public async Task WaitAllReplicasUpAsync(TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        using var request = new HttpClient(TrustingHandler());
        var credentials = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
            $"{Settings["QRAFT_STATS_USER"]}:{Settings["QRAFT_STATS_PASSWORD"]}"));
        request.DefaultRequestHeaders.Authorization = new("Basic", credentials);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var csv = await request.GetStringAsync(new Uri(Url, "/stats;csv"));
                var up = csv.Split('\n').Select(l => l.Split(','))
                    .Count(f => f.Length > 17 && f[0] == "be_app" && f[1].StartsWith("app", StringComparison.Ordinal) && f[17] == "UP");
                if (up == 3)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // HAProxy is restarting or not yet listening; the deadline bounds the wait.
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"the replicas were not all UP in HAProxy within {limit}");
    }

    /// <summary>The replicas' PIDs from supervisord, in instance order.</summary>
    public async Task<IReadOnlyList<int>> ReplicaPidsAsync()
    {
        var pids = new List<int>();
        foreach (var instance in Settings["QRAFT_APP_INSTANCES"].Split(','))
        {
            var pid = await Shell.CheckedAsync("supervisorctl", ["-c", Settings["QRAFT_SUPERVISOR_CONF"], "pid", $"apps:{instance}"], TimeSpan.FromSeconds(30));
            pids.Add(int.Parse(pid.Trim(), CultureInfo.InvariantCulture));
        }

        return pids;
    }

    /// <summary>The environment supervisord started app1 with (/proc/PID/environ).</summary>
    public async Task<IReadOnlyDictionary<string, string>> ReplicaEnvironmentAsync()
    {
        var pid = (await ReplicaPidsAsync())[0];
        return (ProcFile(pid, "environ") ?? "").Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(e => e.Contains('='))
            .ToDictionary(e => e[..e.IndexOf('=')], e => e[(e.IndexOf('=') + 1)..]);
    }

    /// <summary>PIDs of this stack's processes with the given command name (matched on the state dir in their command line).</summary>
    /// <param name="program">Part of the command line as well, where one name runs several programs (node runs Azurite and maildev).</param>
    public IReadOnlyList<int> ProcessesNamed(string comm, string program = "") =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ProcFile(pid, "comm")?.Trim() == comm
                && ProcFile(pid, "cmdline")?.Replace('\0', ' ') is { } command
                && command.Contains(StateDir + "/", StringComparison.Ordinal) && command.Contains(program, StringComparison.Ordinal))
            .ToArray();

    public void Dispose()
    {
        Https.Dispose();
        _ca.Dispose();
    }

    internal static string? ProcFile(int pid, string name)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/{name}");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private SocketsHttpHandler TrustingHandler() => new()
    {
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = TrustsStackCa },
    };

    private bool TrustsStackCa(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(_ca);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return custom.Build(new X509Certificate2(certificate));
    }

    /// <summary>KEY=value lines as local/up writes them (values with shell metacharacters single-quoted).</summary>
    private static Dictionary<string, string> ReadEnvFile(string path) =>
        File.ReadAllLines(path)
            .Where(line => line.Length > 0 && !line.StartsWith('#') && line.Contains('='))
            .Select(line => (Key: line[..line.IndexOf('=')], Value: line[(line.IndexOf('=') + 1)..]))
            .ToDictionary(e => e.Key, e => e.Value.Length >= 2 && e.Value[0] == '\'' && e.Value[^1] == '\'' ? e.Value[1..^1] : e.Value);
}
