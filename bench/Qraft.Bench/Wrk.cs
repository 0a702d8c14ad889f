using System.Globalization;
using System.Text.Json;

namespace Qraft.Bench;

/// <summary>One wrk run: figures from the Lua scripts' QB_RESULT line, and wrk's own CPU from /usr/bin/time.</summary>
public sealed record WrkResult(
    string Command,
    int Connections,
    long Requests,
    double Seconds,
    long Errors,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double MaxMs,
    double WrkCpuSeconds,
    string ErrorSample)
{
    public double RequestsPerSecond => Requests / Seconds;
}

public sealed class Wrk(BenchOptions options)
{
    private readonly string _luaDir = Path.Combine(options.RepoDir, "bench", "lua");

    public async Task<WrkResult> RunAsync(
        string script, Uri url, int connections, int seconds, IReadOnlyDictionary<string, string> environment)
    {
        var threads = Math.Min(connections, Environment.ProcessorCount);
        string[] arguments =
        [
            "-f", "QB_CPU %U %S", "wrk", $"-t{threads}", $"-c{connections}", $"-d{seconds}s", "--timeout", "10s",
            "-s", Path.Combine(_luaDir, script), url.ToString(),
        ];
        var env = new Dictionary<string, string>(environment) { ["QB_LUA_DIR"] = _luaDir };
        var output = await Shell.RunAsync("/usr/bin/time", arguments, TimeSpan.FromSeconds(seconds + 60), env);
        var line = output.Stdout.Split('\n').FirstOrDefault(l => l.StartsWith("QB_RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no result (exit {output.ExitCode}): {output.Stderr}{output.Stdout}");
        var cpu = output.Stderr.Split('\n').Last(l => l.StartsWith("QB_CPU ", StringComparison.Ordinal)).Split(' ');
        using var json = JsonDocument.Parse(line["QB_RESULT ".Length..]);
        var r = json.RootElement;
        var command = $"wrk -t{threads} -c{connections} -d{seconds}s --timeout 10s -s bench/lua/{script} {url}";
        return new WrkResult(
            command,
            connections,
            r.GetProperty("requests").GetInt64(),
            r.GetProperty("durationUs").GetInt64() / 1e6,
            r.GetProperty("bodyErrors").GetInt64() + r.GetProperty("socketErrors").GetInt64() + r.GetProperty("non2xx").GetInt64(),
            r.GetProperty("p50Us").GetInt64() / 1e3,
            r.GetProperty("p90Us").GetInt64() / 1e3,
            r.GetProperty("p99Us").GetInt64() / 1e3,
            r.GetProperty("maxUs").GetInt64() / 1e3,
            double.Parse(cpu[1], CultureInfo.InvariantCulture) + double.Parse(cpu[2], CultureInfo.InvariantCulture),
            r.GetProperty("sample").GetString() ?? "");
    }
}
