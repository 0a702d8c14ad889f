using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Qraft.Bench;

public sealed record SoloResult(
    string Variant,
    string Environment,
    IReadOnlyList<double> StartMs,
    double PeakRssMb,
    double RequestsPerSecond,
    double P99Ms,
    long Errors);

/// <summary>
/// One replica started from the stack's published build, outside supervisord, on a free port against the stack's
/// Azurite: time from process start to the first 200 from /health/ready, then its resident memory under `me` load.
/// Each variant differs only by runtime settings (DOTNET_* environment), so one build compares them all.
/// </summary>
public sealed class Solo(Stack stack, Wrk wrk, BenchOptions options, IReadOnlyDictionary<string, string> replicaEnvironment)
{
    private const int Starts = 3;

    public async Task<SoloResult> MeasureAsync(string variant, IReadOnlyDictionary<string, string> runtime, string tokensFile)
    {
        var starts = new List<double>();
        for (var i = 0; i < Starts; i++)
        {
            using var replica = await StartAsync(runtime);
            starts.Add(replica.StartMs);
            await replica.StopAsync();
        }

        using var loaded = await StartAsync(runtime);
        using var sampling = new CancellationTokenSource();
        var sampler = SamplePeakRssAsync(loaded.Process.Id, sampling.Token);
        var url = new Uri(loaded.Url, "/graphql/");
        var tokens = new Dictionary<string, string> { ["QB_TOKENS"] = tokensFile };

        // Memory is sampled from the first request on; throughput and latency only once tier-1 code is in place.
        await wrk.RunAsync("me.lua", url, 16, 3, tokens);
        var load = await wrk.RunAsync("me.lua", url, 16, options.LatencySeconds, tokens);
        await sampling.CancelAsync();
        var peakKb = Math.Max(await sampler, StatusKb(loaded.Process.Id, "VmHWM:"));
        await loaded.StopAsync();
        var described = runtime.Count == 0 ? "(as the stack runs it)" : string.Join(' ', runtime.Select(e => $"{e.Key}={e.Value}"));
        return new SoloResult(variant, described, starts, peakKb / 1024.0, load.RequestsPerSecond, load.P99Ms, load.Errors);
    }

    private async Task<Replica> StartAsync(IReadOnlyDictionary<string, string> runtime)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(stack.PublishedApp)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { stack.PublishedApp, "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(argument);
        }

        // The environment supervisord gave app1 (local/render's settings), with its own name and log, and no drain:
        // this one is stopped between runs.
        foreach (var (name, value) in replicaEnvironment)
        {
            start.Environment[name] = value;
        }

        start.Environment["QRAFT_INSTANCE"] = "solo";
        start.Environment["Logging__File__Path"] = Path.Combine(options.WorkDir, "solo", "qraft_users-solo.log");
        start.Environment["Qraft__DrainPeriod"] = "00:00:00";
        foreach (var (name, value) in runtime)
        {
            start.Environment[name] = value;
        }

        var url = new Uri($"http://127.0.0.1:{port}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the replica");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(30) && !process.HasExited)
        {
            try
            {
                using var ready = await http.GetAsync(new Uri(url, "/health/ready"));
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return new Replica(process, url, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but not answering within the poll timeout yet.
            }

            await Task.Delay(5);
        }

        process.Kill(entireProcessTree: true);
        process.Dispose();
        throw new InvalidOperationException("the solo replica did not become ready within 30 s");
    }

    private static async Task<double> SamplePeakRssAsync(int pid, CancellationToken cancellationToken)
    {
        double peak = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            peak = Math.Max(peak, StatusKb(pid, "VmRSS:"));
            try
            {
                await Task.Delay(200, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return peak;
    }

    private static double StatusKb(int pid, string field) =>
        Stack.ProcFile(pid, "status")?.Split('\n').FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal)) is { } line
            ? double.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)
            : 0;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Replica(Process process, Uri url, double startMs) : IDisposable
    {
        public Process Process { get; } = process;

        public Uri Url { get; } = url;

        public double StartMs { get; } = startMs;

        public async Task StopAsync()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await Process.WaitForExitAsync(limit.Token);
        }

        public void Dispose() => Process.Dispose();
    }
}
