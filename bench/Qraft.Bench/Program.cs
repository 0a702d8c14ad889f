using System.Text.Json;
using System.Text.Json.Serialization;
using Qraft.Bench;

// bench/run starts the stack and then this: every scenario, then results.json, the plots and REPORT.md in bench/.
// With --report-only it redraws the plots and rewrites REPORT.md from an existing results.json.
// `hashing` (bench/run hashing) needs no stack: the PBKDF2 engines side by side, into hashing.md and hashing.json.
if (args is ["hashing", .. var hashing])
{
    var hashingOptions = BenchOptions.Parse([.. hashing, "--report-only"]);
    await HashingBench.RunAsync(hashingOptions.OutDir, hashingOptions.Quick);
    return;
}

var options = BenchOptions.Parse(args);
var json = new JsonSerializerOptions
{
    WriteIndented = true,
    PreferredObjectCreationHandling = JsonObjectCreationHandling.Populate,

    // A figure with nothing to divide by (no successful request, no hash) is NaN, which plain JSON cannot hold.
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
};
var resultsFile = Path.Combine(options.OutDir, "results.json");
BenchResults results;
if (options.ReportOnly)
{
    results = JsonSerializer.Deserialize<BenchResults>(await File.ReadAllTextAsync(resultsFile), json)
        ?? throw new InvalidOperationException($"{resultsFile} holds no results");
}
else
{
    using var stack = Stack.Load(options);
    results = new BenchResults { Machine = await Benchmarks.DescribeMachineAsync() };
    Benchmarks.Log($"machine: {results.Machine.Cores} cores, load {results.Machine.LoadBefore}");
    var started = System.Diagnostics.Stopwatch.GetTimestamp();
    try
    {
        await new Benchmarks(options, stack, results).RunAsync();
    }
    finally
    {
        results.LoadAfter = File.ReadAllText("/proc/loadavg").Trim();
        results.MinutesTaken = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMinutes;
        await File.WriteAllTextAsync(resultsFile, JsonSerializer.Serialize(results, json));
    }
}

Plots.Draw(results, options.OutDir);
await File.WriteAllTextAsync(Path.Combine(options.OutDir, "REPORT.md"), Report.Write(results, options));
Benchmarks.Log($"wrote {Path.Combine(options.OutDir, "REPORT.md")}");
