namespace Qraft.Bench;

/// <summary>What bench/run passes: where the stack is, where to write, and how long to load each scenario.</summary>
public sealed record BenchOptions(string? StackEnvFile, string RepoDir, string OutDir, string ToolsDir, bool Quick, bool ReportOnly, string Command)
{
    /// <summary>Seconds of load per throughput scenario; --quick shortens every phase for development.</summary>
    public int LoadSeconds => Quick ? 5 : 15;

    public int LatencySeconds => Quick ? 4 : 8;

    /// <summary>
    /// Seconds of the bench's own every-core hashing before and after each login or sign-up figure: a steady loop
    /// needs less than a run's length to give its rate, and the full run must fit in 35 minutes (README.md, Benchmarks).
    /// </summary>
    public int MachineAloneSeconds => Quick ? 3 : 10;

    /// <summary>Runs of each measured scenario: the machine's speed drifts between minutes, so one run is one sample.</summary>
    public int Repeats => Quick ? 1 : 3;

    /// <summary>Scratch space: token files, counter CSVs, solo replica logs (git-ignored).</summary>
    public string WorkDir => Path.Combine(OutDir, ".work");

    /// <summary>The large table of the cost-growth scenario (issue 7's 100,000); --quick stops at 10,000.</summary>
    public int LargeTableUsers => Quick ? 10_000 : 100_000;

    /// <summary>
    /// Warm-up steps (see <see cref="Benchmarks"/>): a replica's JIT keeps recompiling hot code for tens of seconds
    /// after a start, and under load it competes with the load for the cores.
    /// </summary>
    public int WarmUpStepSeconds => Quick ? 2 : 5;

    public int WarmUpMaxSteps => Quick ? 3 : 12;

    public static BenchOptions Parse(string[] args)
    {
        string? stackEnv = null, repo = null, output = null, tools = null, command = null;
        bool quick = false, reportOnly = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--stack-env": stackEnv = Value(args, ref i); break;
                case "--repo": repo = Value(args, ref i); break;
                case "--out": output = Value(args, ref i); break;
                case "--tools": tools = Value(args, ref i); break;
                case "--command": command = Value(args, ref i); break;
                case "--quick": quick = true; break;
                case "--report-only": reportOnly = true; break;
                default: throw new ArgumentException($"unknown argument {args[i]}");
            }
        }

        return new BenchOptions(
            stackEnv ?? (reportOnly ? null : throw new ArgumentException("--stack-env is required")),
            Path.GetFullPath(repo ?? "."),
            Path.GetFullPath(output ?? "bench"),
            Path.GetFullPath(tools ?? "bench/.work/tools"),
            quick,
            reportOnly,
            command ?? "bench/run");
    }

    private static string Value(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value");
}
