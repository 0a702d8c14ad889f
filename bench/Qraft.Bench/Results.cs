using Qraft.Security.Pbkdf2;

namespace Qraft.Bench;

public sealed record Machine(
    int Cores,
    string CpuModel,
    double MemoryGb,
    string Kernel,
    string DotnetRuntime,
    string DotnetSdk,
    string Haproxy,
    string Wrk,
    DateTimeOffset Date,
    string LoadBefore);

/// <summary>
/// A wrk run with the CPU seconds each party spent during it (see <see cref="CpuMeter"/>) and, where HAProxy logged
/// them, the replicas' own response times for the same requests (see <see cref="HaproxyLog"/>).
/// </summary>
public sealed record Scenario(
    string Name, WrkResult Wrk, IReadOnlyDictionary<string, double> Cpu, ServerTimes? Servers = null, IReadOnlyList<RunSummary>? Runs = null);

/// <summary>One of a scenario's repeated runs, kept to show the spread around the one reported (see <see cref="Benchmarks"/>).</summary>
public sealed record RunSummary(double RequestsPerSecond, double P50Ms, double P99Ms);

public sealed record HashTime(int Iterations, double DotnetMs, double? OpensslMs);

/// <summary>
/// Password-bound throughput against its physical limit: cores / one hash. The replicas' own metric adds how long a
/// hash took inside them under this load (wall time: more hashes than cores share the cores); the machine's own
/// sustained rate, measured just before and just after the runs, says how much of that limit the cores deliver at all.
/// </summary>
/// <param name="StorageCallsPerRequest">The replicas' Table Storage calls during the run per hash, that is per login or sign-up.</param>
public sealed record Bound(
    string Name,
    int Iterations,
    int Cores,
    double HashMs,
    Scenario Run,
    double ReplicaHashMs,
    IReadOnlyList<double> MachinePerSecond,
    double StorageCallsPerRequest = double.NaN)
{
    public double LimitPerSecond => Cores * 1000 / HashMs;

    public double Fraction => Run.Wrk.RequestsPerSecond / LimitPerSecond;

    /// <summary>Mean of the machine's sustained hash rates, nothing else of the bench running.</summary>
    public double MachineMean => MachinePerSecond is { Count: > 0 } rates ? rates.Average() : double.NaN;

    public double MachineFraction => MachineMean / LimitPerSecond;

    /// <summary>The stack's rate against the machine alone's: the share of what the cores could hash that reached clients.</summary>
    public double OfMachineAlone => Run.Wrk.RequestsPerSecond / MachineMean;

    /// <summary>CPU the replicas' hashing threads spent per request of the reported run (one hash each).</summary>
    public double HashingCpuMsPerRequest => 1000 * Run.Cpu.GetValueOrDefault("hashing") / Run.Wrk.Requests;

    /// <summary>CPU Azurite spent per request of the reported run: storage work that Azure Table Storage does off these cores.</summary>
    public double AzuriteCpuMsPerRequest => 1000 * Run.Cpu.GetValueOrDefault("azurite") / Run.Wrk.Requests;

    /// <summary>
    /// The most of the machine alone a request can reach while Azurite shares its cores, even if nothing else cost any
    /// CPU: a request's hashing CPU over its hashing and Azurite CPU together.
    /// </summary>
    public double CeilingWithAzurite => HashingCpuMsPerRequest / (HashingCpuMsPerRequest + AzuriteCpuMsPerRequest);
}

public sealed record Growth(int UsersInTable, double SeedPerSecond, Scenario Me, Scenario Login);

/// <summary>Unmeasured load in steps until the replicas' JIT is quiet: what a just-started replica delivers meanwhile.</summary>
public sealed record WarmUp(string Name, int Connections, int StepSeconds, IReadOnlyList<WarmUpStep> Steps);

/// <param name="JitCores">CPU the replicas' tiered-compilation threads used during the step, in cores.</param>
public sealed record WarmUpStep(double RatePerSecond, double JitCores);

public sealed class BenchResults
{
    public required Machine Machine { get; init; }

    /// <summary>The PBKDF2 engine of the hash timings; runs before there was a choice hashed with the platform's.</summary>
    public string HashEngine { get; set; } = PlatformPbkdf2Sha256.EngineName;

    public List<HashTime> Hashes { get; } = [];

    public List<Bound> Logins { get; } = [];

    public List<Bound> SignUps { get; } = [];

    public List<Scenario> Me { get; } = [];

    /// <summary>`me` at fixed rates, fractions of the closed-loop maximum (<see cref="Me"/> at 64 connections).</summary>
    public List<OpenLoopRun> OpenLoop { get; } = [];

    public Dictionary<string, double> MeCounters { get; set; } = [];

    public List<Growth> Growth { get; } = [];

    public List<WarmUp> WarmUps { get; } = [];

    public List<SoloResult> Solo { get; } = [];

    public string LoadAfter { get; set; } = "";

    /// <summary>Wall time of the measuring program, stack start and build excluded (bench/run prints its own total).</summary>
    public double MinutesTaken { get; set; }

    public List<string> Commands { get; } = [];
}
