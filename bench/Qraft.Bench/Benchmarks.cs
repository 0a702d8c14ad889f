using System.Globalization;
using System.Runtime.InteropServices;
using Qraft.Security.Pbkdf2;

namespace Qraft.Bench;

/// <summary>Every scenario of issue 7, in an order that needs one replica restart (600,000 then 260,000 iterations).</summary>
public sealed class Benchmarks(BenchOptions options, Stack stack, BenchResults results)
{
    /// <summary>Configured cost (PasswordHashingOptions.DefaultIterations) and the original's.</summary>
    private const int Configured = 600_000;
    private const int Original = 260_000;

    /// <summary>Accounts the login load rotates over; successes reset throttling, and none may fail.</summary>
    private const int LoginPool = 32;
    private const string LoginPrefix = "login";

    private readonly Wrk _wrk = new(options);
    private readonly Users _users = new(stack);
    private readonly int _cores = Environment.ProcessorCount;

    /// <summary>The engine the replicas choose on this machine (they run with the default setting), so limits compare like with like.</summary>
    private readonly IPbkdf2Sha256 _engine = Pbkdf2Engines.Choose(Pbkdf2EngineMode.Auto).Engine;

    public async Task RunAsync()
    {
        Directory.CreateDirectory(options.WorkDir);
        results.HashEngine = _engine.Name;
        foreach (var iterations in new[] { Configured, Original })
        {
            results.Hashes.Add(new HashTime(iterations, HashRates.OneHashMs(_engine, iterations, 5), await OpensslHashMsAsync(iterations)));
        }

        Log($"one hash ({_engine.Name}): {string.Join(", ", results.Hashes.Select(h => $"{h.Iterations}: {h.DotnetMs:0.0} ms"))}");

        await _users.SeedAsync(LoginPrefix, 0, LoginPool, Configured);
        var poolTokens = WriteTokens("pool-tokens.txt", Enumerable.Range(0, LoginPool).Select(n => Users.Email(LoginPrefix, n)));

        await MeAsync(poolTokens);
        await HashBoundAsync(Configured, "after start");

        Log("restarting the replicas with Qraft__PasswordIterations=260000");
        await stack.RestartReplicasAsync(Original);
        await _users.SeedAsync(LoginPrefix, 0, LoginPool, Original);
        await HashBoundAsync(Original, "after restart");

        await GrowthAsync(poolTokens);
        await SoloAsync(poolTokens);
    }

    /// <summary>
    /// Logins, then sign-ups, each after a warm-up, at cores + 1 connections (round robin gives each replica about one
    /// at a time, so none waits for a hashing thread) and at 2 x cores (more than the cores, some queue).
    /// </summary>
    private async Task HashBoundAsync(int iterations, string since)
    {
        int[] connectionCounts = [_cores + 1, 2 * _cores];
        await WarmUpAsync($"login {iterations:N0} {since}", "login.lua", 2 * _cores, LoginEnvironment);
        foreach (var connections in connectionCounts)
        {
            results.Logins.Add(await BoundAsync("login", iterations, connections, LoginEnvironment));
        }

        var prefix = $"s{iterations / 1000}-";
        await WarmUpAsync($"sign-up {iterations:N0}", "signup.lua", 2 * _cores, () => SignUpEnvironment($"w{prefix}"));
        foreach (var connections in connectionCounts)
        {
            results.SignUps.Add(await BoundAsync("sign-up", iterations, connections, () => SignUpEnvironment($"{prefix}c{connections}-")));
        }
    }

    /// <summary>
    /// Load in steps, unmeasured, until the replicas' tiered-compilation threads used under 2 % of a core in a step
    /// (at least two steps): recompiling hot code with profile data starts over with every process and competes with
    /// the load for the cores, and a rate alone can plateau while it goes on. Each step is kept for the report, since
    /// a new replica's first seconds are what a scale-out or a restart costs.
    /// </summary>
    /// <param name="environment">Called for each step: sign-ups need a prefix of their own every time.</param>
    private async Task WarmUpAsync(string name, string script, int connections, Func<Dictionary<string, string>> environment)
    {
        const double QuietJitCores = 0.02;
        var replicas = new Dictionary<string, IReadOnlyList<int>> { ["replicas"] = await stack.ReplicaPidsAsync() };
        var steps = new List<WarmUpStep>();
        while (steps.Count < options.WarmUpMaxSteps && (steps.Count < 2 || steps[^1].JitCores >= QuietJitCores))
        {
            var meter = CpuMeter.Start(replicas);
            var run = await _wrk.RunAsync(script, stack.GraphQLUrl, connections, options.WarmUpStepSeconds, environment());
            steps.Add(new WarmUpStep(run.RequestsPerSecond, meter.Stop()["jit"] / options.WarmUpStepSeconds));
        }

        results.WarmUps.Add(new WarmUp(name, connections, options.WarmUpStepSeconds, steps));
        Log($"warm-up {name}: {string.Join(" -> ", steps.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.RatePerSecond:0.#}/s (jit {s.JitCores:0.00})")))}");
    }

    private async Task MeAsync(string tokens)
    {
        var environment = new Dictionary<string, string> { ["QB_TOKENS"] = tokens };
        await WarmUpAsync("me after start", "me.lua", 64, () => environment);
        foreach (var connections in new[] { 1, 16, 64 })
        {
            results.Me.Add(await ScenarioAsync($"me c{connections}", "me.lua", connections, options.LoadSeconds, () => environment));
        }

        var closedLoop = results.Me[^1].Wrk.RequestsPerSecond;
        var openLoop = new OpenLoop(stack);
        var tokenList = File.ReadAllLines(tokens);
        foreach (var fraction in new[] { 0.25, 0.50, 0.75 })
        {
            var groups = await PartiesAsync();
            var run = await openLoop.RunAsync(closedLoop, fraction, options.LoadSeconds, tokenList, () => CpuMeter.Start(groups));
            results.OpenLoop.Add(run);
            Log(string.Create(CultureInfo.InvariantCulture, $"me open loop at {fraction:P0} of {closedLoop:N0}/s: {run.AchievedPerSecond:N0}/s, p50 {run.P50Ms:0.00} p99 {run.P99Ms:0.00} p99.9 {run.P999Ms:0.00} ms, ")
                + string.Create(CultureInfo.InvariantCulture, $"{run.Errors} errors, generator CPU {run.Cpu["generator"] / run.Seconds:0.00} cores, {run.ConnectionsOpened} connections, dispatch lag max {run.DispatchLagMaxMs:0.0} ms"));
        }

        // A run of its own: starting dotnet-counters (a .NET process) costs the two cores about a second of CPU.
        var counters = new Counters(options);
        if (counters.Available)
        {
            var profiling = counters.CollectAsync((await stack.ReplicaPidsAsync())[0], options.LoadSeconds, Path.Combine(options.WorkDir, "me-64-counters.csv"));
            await _wrk.RunAsync("me.lua", stack.GraphQLUrl, 64, options.LoadSeconds, environment);
            results.MeCounters = await profiling;
        }
    }

    private async Task<Bound> BoundAsync(string name, int iterations, int connections, Func<Dictionary<string, string>> environment)
    {
        // The faster of this run's two timings: a hash slowed by someone else's load would lower the limit and flatter the figure.
        var hashMs = Math.Min(results.Hashes.First(h => h.Iterations == iterations).DotnetMs, HashRates.OneHashMs(_engine, iterations, 3));
        var script = name == "login" ? "login.lua" : "signup.lua";
        var machineBefore = MachineHashRate(iterations);
        var before = await ReplicaMetricsAsync();
        var run = await ScenarioAsync($"{name} {iterations} c{connections}", script, connections, options.LoadSeconds, environment);
        var after = await ReplicaMetricsAsync();
        var machineAfter = MachineHashRate(iterations);
        var hashes = after.HashCount - before.HashCount;
        var bound = new Bound(
            name, iterations, _cores, hashMs, run,
            hashes > 0 ? 1000 * (after.HashSeconds - before.HashSeconds) / hashes : 0,
            [machineBefore, machineAfter],
            hashes > 0 ? (after.StorageCalls - before.StorageCalls) / hashes : double.NaN);
        Log($"{run.Name}: {run.Wrk.RequestsPerSecond:0.0}/s of a {bound.LimitPerSecond:0.0}/s limit ({bound.Fraction:P0}), p99 {run.Wrk.P99Ms:0} ms, "
            + $"hash in replicas {bound.ReplicaHashMs:0} ms, {bound.HashingCpuMsPerRequest:0} ms of hashing CPU each, "
            + $"machine alone {machineBefore:0.0}/{machineAfter:0.0}/s, {bound.StorageCallsPerRequest:0.0} storage calls each, errors {run.Wrk.Errors}");
        return bound;
    }

    /// <summary>The bench itself hashing on every core, the stack idle.</summary>
    private double MachineHashRate(int iterations) =>
        HashRates.Sustained(_engine, iterations, _cores, TimeSpan.FromSeconds(options.MachineAloneSeconds));

    /// <summary>`me` for many distinct users (so caches miss and storage is read) and logins, at 1,000 then 100,000 users.</summary>
    private async Task GrowthAsync(string poolTokens)
    {
        // The replicas restarted since me last ran: without this the small table would be measured on cold code.
        await WarmUpAsync("me after restart", "me.lua", 64, () => new() { ["QB_TOKENS"] = poolTokens });
        var seeded = 0;
        foreach (var size in new[] { 1_000, options.LargeTableUsers })
        {
            var rate = await _users.SeedAsync("grow", seeded, size, Original);
            seeded = size;
            var sample = Enumerable.Range(0, 500).Select(i => Users.Email("grow", (int)((long)i * size / 500)));
            var tokens = WriteTokens($"grow-{size}-tokens.txt", sample);
            var me = await ScenarioAsync($"me {size} users", "me.lua", 16, options.LatencySeconds, () => new() { ["QB_TOKENS"] = tokens });
            var login = await ScenarioAsync($"login {size} users", "login.lua", _cores, options.LatencySeconds, LoginEnvironment);
            results.Growth.Add(new Growth(size, rate, me, login));
            Log($"{size} users (seeded at {rate:0}/s): me p50 {me.Wrk.P50Ms:0.00} ms, login p50 {login.Wrk.P50Ms:0} ms");
        }
    }

    private async Task SoloAsync(string tokens)
    {
        var solo = new Solo(stack, _wrk, options, await stack.ReplicaEnvironmentAsync());
        Directory.CreateDirectory(Path.Combine(options.WorkDir, "solo"));
        (string Name, Dictionary<string, string> Environment)[] variants =
        [
            ("product config", []),
            ("no ReadyToRun code", new() { ["DOTNET_ReadyToRun"] = "0" }),
            ("TieredPGO off", new() { ["DOTNET_TieredPGO"] = "0" }),
            ("TieredCompilation off", new() { ["DOTNET_TieredCompilation"] = "0" }),
            ("default gen0 budget", new() { ["DOTNET_GCgen0size"] = "0" }),
            ("server GC", new() { ["DOTNET_gcServer"] = "1" }),
            ("GC heap limit 64 MB", new() { ["DOTNET_GCHeapHardLimit"] = "0x4000000" }),
            ("concurrent GC off", new() { ["DOTNET_gcConcurrent"] = "0" }),
        ];
        foreach (var (name, environment) in variants)
        {
            var result = await solo.MeasureAsync(name, environment, tokens);
            results.Solo.Add(result);
            Log($"solo {name}: start {string.Join('/', result.StartMs.Select(ms => ms.ToString("0", CultureInfo.InvariantCulture)))} ms, peak RSS {result.PeakRssMb:0} MB");
        }
    }

    /// <summary>
    /// The scenario run <see cref="BenchOptions.Repeats"/> times in a row; the run with the median throughput is the one
    /// reported (in a closed loop it is also the middle one for latency), the others are kept as its spread.
    /// </summary>
    /// <param name="environment">Called for each run: sign-ups need a prefix of their own every time.</param>
    private async Task<Scenario> ScenarioAsync(string name, string script, int connections, int seconds, Func<Dictionary<string, string>> environment)
    {
        var runs = new List<Scenario>();
        for (var i = 0; i < options.Repeats; i++)
        {
            runs.Add(await OneRunAsync(name, script, connections, seconds, environment()));
        }

        var median = runs.OrderBy(r => r.Wrk.RequestsPerSecond).ElementAt(runs.Count / 2);
        return median with { Runs = [.. runs.Select(r => new RunSummary(r.Wrk.RequestsPerSecond, r.Wrk.P50Ms, r.Wrk.P99Ms))] };
    }

    private async Task<Dictionary<string, IReadOnlyList<int>>> PartiesAsync() => new()
    {
        ["replicas"] = await stack.ReplicaPidsAsync(),
        ["haproxy"] = stack.ProcessesNamed("haproxy"),
        ["azurite"] = stack.ProcessesNamed("node", "azurite"),
        ["supervisord"] = stack.ProcessesNamed("supervisord"),
    };

    private async Task<Scenario> OneRunAsync(string name, string script, int connections, int seconds, Dictionary<string, string> environment)
    {
        var meter = CpuMeter.Start(await PartiesAsync());
        var started = DateTime.UtcNow;
        var run = await _wrk.RunAsync(script, stack.GraphQLUrl, connections, seconds, environment);
        var cpu = meter.Stop();
        var servers = HaproxyLog.Read(stack.Settings["QRAFT_LOG_DIR"], started, DateTime.UtcNow);
        cpu["wrk"] = run.WrkCpuSeconds;
        if (!results.Commands.Contains(run.Command))
        {
            results.Commands.Add(run.Command);
        }

        if (run.Errors > 0)
        {
            Log($"{name}: {run.Errors} errors, e.g. {run.ErrorSample}");
        }

        return new Scenario(name, run, cpu, servers);
    }

    /// <summary>Password-hash time and Table Storage calls (see <see cref="TableCalls"/>), summed over the replicas' Prometheus endpoints.</summary>
    private async Task<(double HashSeconds, double HashCount, double StorageCalls)> ReplicaMetricsAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        double hashSeconds = 0, hashCount = 0, storageCalls = 0;
        foreach (var app in stack.AppUrls)
        {
            foreach (var line in (await http.GetStringAsync(new Uri(app, "/metrics"))).Split('\n'))
            {
                var value = line.Length > 0 && line[0] != '#' ? double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture) : 0;
                if (line.StartsWith("qraft_password_hash_duration_seconds_sum", StringComparison.Ordinal))
                {
                    hashSeconds += value;
                }
                else if (line.StartsWith("qraft_password_hash_duration_seconds_count", StringComparison.Ordinal))
                {
                    hashCount += value;
                }
                else if (line.StartsWith("qraft_storage_call_duration_seconds_count", StringComparison.Ordinal))
                {
                    storageCalls += TableCalls(line, value);
                }
            }
        }

        return (hashSeconds, hashCount, storageCalls);
    }

    /// <summary>
    /// Table Storage calls behind one operation's count: the throttle's check is one operation of two point reads
    /// (account and address), the outbox's claim a read and a conditional update, and the health probe, HAProxy's
    /// and not a request's, counts none.
    /// </summary>
    private static double TableCalls(string line, double operations) =>
        line.Contains("operation=\"users.probe\"", StringComparison.Ordinal) ? 0
        : line.Contains("operation=\"loginthrottle.check\"", StringComparison.Ordinal) || line.Contains("operation=\"mailoutbox.claim\"", StringComparison.Ordinal) ? 2 * operations
        : operations;

    private static Dictionary<string, string> LoginEnvironment() => new()
    {
        ["QB_USERS"] = LoginPool.ToString(CultureInfo.InvariantCulture),
        ["QB_EMAIL_PREFIX"] = LoginPrefix,
        ["QB_PASSWORD"] = Users.Password,
    };

    /// <summary>A prefix new to this run, so every sign-up is a new email even against a reused table.</summary>
    private static Dictionary<string, string> SignUpEnvironment(string prefix) => new()
    {
        ["QB_EMAIL_PREFIX"] = $"{prefix}{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}-",
        ["QB_PASSWORD"] = Users.Password,
    };

    private string WriteTokens(string name, IEnumerable<string> emails)
    {
        var path = Path.Combine(options.WorkDir, name);
        File.WriteAllLines(path, emails.Select(e => Tokens.Mint(stack.SigningKey, e, TimeSpan.FromHours(1))));
        return path;
    }

    /// <summary>The same hash by OpenSSL's command line, for comparison; null if openssl is missing.</summary>
    private static async Task<double?> OpensslHashMsAsync(int iterations)
    {
        string[] arguments =
        [
            "kdf", "-keylen", "32", "-kdfopt", "digest:SHA256", "-kdfopt", "pass:bench", "-kdfopt", "salt:0123456789abcdefghijkl",
            "-kdfopt", $"iter:{iterations}", "PBKDF2",
        ];
        var best = double.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var output = await Shell.RunAsync("openssl", arguments, TimeSpan.FromSeconds(30));
            if (output.ExitCode != 0)
            {
                return null;
            }

            best = Math.Min(best, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return best;
    }

    public static void Log(string message) =>
        Console.WriteLine($"[{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {message}");

    public static async Task<Machine> DescribeMachineAsync()
    {
        var cpuModel = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
            ?.Split(':', 2)[1].Trim() ?? "unknown";
        var memKb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var sdk = (await Shell.RunAsync("dotnet", ["--version"], TimeSpan.FromSeconds(30))).Stdout.Trim();
        var haproxy = (await Shell.RunAsync("haproxy", ["-v"], TimeSpan.FromSeconds(10))).Stdout.Split('\n')[0].Trim();
        var wrk = (await Shell.RunAsync("wrk", ["-v"], TimeSpan.FromSeconds(10))) is var w ? (w.Stdout + w.Stderr).Split('\n')[0].Trim() : "";
        return new Machine(
            Environment.ProcessorCount,
            cpuModel,
            double.Parse(memKb, CultureInfo.InvariantCulture) / 1024 / 1024,
            File.ReadAllText("/proc/sys/kernel/osrelease").Trim(),
            RuntimeInformation.FrameworkDescription,
            sdk,
            haproxy,
            wrk,
            DateTimeOffset.Now,
            File.ReadAllText("/proc/loadavg").Trim());
    }
}
