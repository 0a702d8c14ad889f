namespace Qraft.Bench;

/// <summary>What bench/run passes: where the stack is, where to write, and how long to load each scenario.</summary>
public sealed record BenchOptions(string? StackEnvFile, string RepoDir, string OutDir, string ToolsDir, bool Quick, bool ReportOnly, string Command)
{
    /// <summary>Seconds of load per throughput scenario; --quick shortens every phase for development.</summary>
    public int LoadSeconds => Quick ? 5 : 15;

    public int LatencySeconds => Quick ? 4 : 8;

    /// <summary>Scratch space: token files, counter CSVs, solo replica logs (git-ignored).</summary>
    public string WorkDir => Path.Combine(OutDir, ".work");

    /// <summary>
    /// The large table of the cost-growth scenario. Not the 100,000 of issue 7: Azurite keeps no index on the keys, so
    /// each insert scans the table and seeding is quadratic (63,000 users took 11 minutes, 100,000 would take about
    /// half an hour), past bench/run's budget. --quick stops at 10,000.
    /// </summary>
    public int LargeTableUsers => Quick ? 10_000 : 30_000;

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
