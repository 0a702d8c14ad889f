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

/// <summary>A wrk run with the CPU seconds each party spent during it (see <see cref="CpuMeter"/>).</summary>
public sealed record Scenario(string Name, WrkResult Wrk, IReadOnlyDictionary<string, double> Cpu);

public sealed record HashTime(int Iterations, double DotnetMs, double? OpensslMs);

/// <summary>
/// Password-bound throughput against its physical limit: cores / one hash. The replicas' own metric adds how long a
/// hash took inside them under this load (wall time: more hashes than cores share the cores).
/// </summary>
public sealed record Bound(string Name, int Iterations, int Cores, double HashMs, Scenario Run, double ReplicaHashMs)
{
    public double LimitPerSecond => Cores * 1000 / HashMs;

    public double Fraction => Run.Wrk.RequestsPerSecond / LimitPerSecond;
}

public sealed record Growth(int UsersInTable, double SeedPerSecond, Scenario Me, Scenario Login);

public sealed class BenchResults
{
    public required Machine Machine { get; init; }

    public List<HashTime> Hashes { get; } = [];

    public List<Bound> Logins { get; } = [];

    public List<Bound> SignUps { get; } = [];

    public List<Scenario> Me { get; } = [];

    public Dictionary<string, double> MeCounters { get; set; } = [];

    public List<Growth> Growth { get; } = [];

    public List<SoloResult> Solo { get; } = [];

    public string LoadAfter { get; set; } = "";

    public List<string> Commands { get; } = [];
}
