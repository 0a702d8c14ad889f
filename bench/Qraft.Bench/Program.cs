using System.Text.Json;
using Qraft.Bench;

// bench/run starts the stack and then this: every scenario, then results.json, the plots and REPORT.md in bench/.
var options = BenchOptions.Parse(args);
using var stack = Stack.Load(options);
var results = new BenchResults { Machine = await Benchmarks.DescribeMachineAsync() };
Benchmarks.Log($"machine: {results.Machine.Cores} cores, load {results.Machine.LoadBefore}");
try
{
    await new Benchmarks(options, stack, results).RunAsync();
}
finally
{
    results.LoadAfter = File.ReadAllText("/proc/loadavg").Trim();
    await File.WriteAllTextAsync(
        Path.Combine(options.OutDir, "results.json"),
        JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
}

Plots.Draw(results, options.OutDir);
await File.WriteAllTextAsync(Path.Combine(options.OutDir, "REPORT.md"), Report.Write(results, options));
Benchmarks.Log($"wrote {Path.Combine(options.OutDir, "REPORT.md")}");
