using System.Globalization;

namespace Qraft.Bench;

/// <summary>dotnet-counters (System.Runtime) on one replica while it is loaded: the means of each counter.</summary>
public sealed class Counters(BenchOptions options)
{
    private readonly string _tool = Path.Combine(options.ToolsDir, "dotnet-counters");

    public bool Available => File.Exists(_tool);

    public async Task<Dictionary<string, double>> CollectAsync(int pid, int seconds, string csvPath)
    {
        File.Delete(csvPath);
        string[] arguments =
        [
            "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "--refresh-interval", "1",
            "--format", "csv", "-o", csvPath, "--counters", "System.Runtime", "--duration",
            TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture),
        ];
        await Shell.RunAsync(_tool, arguments, TimeSpan.FromSeconds(seconds + 30));
        if (!File.Exists(csvPath))
        {
            return [];
        }

        // Timestamp,Provider,Counter Name,Counter Type,Mean/Increment; the first second is the tool attaching.
        return File.ReadLines(csvPath).Skip(1)
            .Select(line => line.Split(','))
            .Where(f => f.Length >= 5)
            .GroupBy(f => f[2])
            .ToDictionary(
                g => g.Key,
                g => g.Skip(1).DefaultIfEmpty(g.First()).Average(f => double.Parse(f[4], CultureInfo.InvariantCulture)));
    }
}
