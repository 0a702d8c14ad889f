using System.Diagnostics;
using System.Net.Http.Headers;
using System.Runtime;
using System.Text;

namespace Qraft.Bench;

/// <summary>
/// An open-loop run of <c>me</c>: requests at a fixed arrival rate, whatever the answers' speed. Latency counts from
/// each request's scheduled send time, not its actual one, so a stall (the stack's, a full connection pool, or the
/// generator's own late wake) is charged to every request it delayed instead of thinning the load (no coordinated
/// omission, as in wrk2).
/// </summary>
/// <param name="Fraction">Of the closed-loop maximum (<see cref="ClosedLoopPerSecond"/>, `me` at 64 connections) the rate aims at.</param>
/// <param name="DispatchLagMaxMs">How late the generator sent its latest request: a large figure means the generator, not the stack, fell behind.</param>
/// <param name="Cpu">CPU seconds per party during the run, as <see cref="CpuMeter"/> measures them, "generator" being this process.</param>
public sealed record OpenLoopRun(
    double Fraction,
    double ClosedLoopPerSecond,
    double TargetPerSecond,
    int Seconds,
    long Scheduled,
    long Succeeded,
    long Errors,
    double AchievedPerSecond,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double P999Ms,
    double MaxMs,
    double DispatchLagMaxMs,
    int ConnectionsOpened,
    IReadOnlyDictionary<string, double> Cpu,
    ServerTimes? Servers,
    string ErrorSample);

/// <summary>
/// The open-loop generator: Debian serves no wrk2, so the schedule is kept here, over HTTP/1.1 keep-alive and TLS to
/// HAProxy like wrk, with as many connections as requests in flight need (up to <see cref="MaxConnections"/>).
/// Latencies of a bounded run fit in an array, so percentiles are exact, from the sorted array.
/// </summary>
public sealed class OpenLoop(Stack stack)
{
    /// <summary>
    /// As many as the closed loop whose maximum sets the rates; wrk2 holds a fixed count too, and a stall opens no
    /// burst of TLS handshakes that would load the cores the stack is waiting for.
    /// </summary>
    private const int MaxConnections = 64;

    /// <summary>Unmeasured load at the same rate first: opens the connections and compiles this program's hot path.</summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"query":"{ me { id email } }"}""");

    public async Task<OpenLoopRun> RunAsync(
        double closedLoopPerSecond, double fraction, int seconds, IReadOnlyList<string> tokens, Func<CpuMeter> startMeter)
    {
        var opened = 0;
        using var client = stack.CreateLoadClient(MaxConnections, () => Interlocked.Increment(ref opened));
        client.Timeout = RequestTimeout;
        var rate = closedLoopPerSecond * fraction;
        await ScheduleAsync(client, rate, WarmUp, tokens);

        var meter = startMeter();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = DateTime.UtcNow;
        var run = await ScheduleAsync(client, rate, TimeSpan.FromSeconds(seconds), tokens);
        var cpu = meter.Stop();
        cpu["generator"] = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        var servers = HaproxyLog.Read(stack.Settings["QRAFT_LOG_DIR"], started, DateTime.UtcNow);

        var ok = run.Latencies.Where(l => l >= 0).Order().ToArray();
        return new OpenLoopRun(
            fraction,
            closedLoopPerSecond,
            rate,
            seconds,
            run.Latencies.Length,
            ok.Length,
            run.Latencies.Length - ok.Length,
            ok.Length / run.Elapsed.TotalSeconds,
            Percentile(ok, 0.50),
            Percentile(ok, 0.90),
            Percentile(ok, 0.99),
            Percentile(ok, 0.999),
            ok.Length > 0 ? ToMs(ok[^1]) : double.NaN,
            ToMs(run.DispatchLagMax),
            opened,
            cpu,
            servers,
            run.ErrorSample);
    }

    /// <summary>
    /// Sends request i at start + i / rate, from a thread of its own so that no busy thread-pool queue delays a send.
    /// The loop sends every request that is due, then sleeps a millisecond rather than spin on one of two shared cores;
    /// that lateness counts in the latencies.
    /// </summary>
    /// <remarks>
    /// A pause of this process's GC stops the dispatcher and every reply in flight, so it lands in the latencies as
    /// the stack's: requests are counted in flight rather than kept as a task each (tens of thousands of live tasks
    /// were promoted and made gen1 and gen2 collections), and background gen2 collections are asked for during the run.
    /// </remarks>
    private async Task<(long[] Latencies, TimeSpan Elapsed, long DispatchLagMax, string ErrorSample)> ScheduleAsync(
        HttpClient client, double rate, TimeSpan duration, IReadOnlyList<string> tokens)
    {
        var count = (int)(rate * duration.TotalSeconds);
        var latencies = new long[count];
        var errorSample = "";
        var ticksApart = Stopwatch.Frequency / rate;
        var inFlight = 1;
        var allAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var latencyMode = GCSettings.LatencyMode;
        GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;
        var start = Stopwatch.GetTimestamp();
        long lagMax = 0;
        try
        {
            await Task.Factory.StartNew(
                () =>
                {
                    for (var i = 0; i < count; i++)
                    {
                        var due = start + (long)(i * ticksApart);
                        while (Stopwatch.GetTimestamp() < due)
                        {
                            Thread.Sleep(1);
                        }

                        lagMax = Math.Max(lagMax, Stopwatch.GetTimestamp() - due);
                        Interlocked.Increment(ref inFlight);
                        _ = SendAsync(i, due);
                    }
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
            Answered();
            await allAnswered.Task;
        }
        finally
        {
            GCSettings.LatencyMode = latencyMode;
        }

        return (latencies, Stopwatch.GetElapsedTime(start), lagMax, errorSample);

        void Answered()
        {
            if (Interlocked.Decrement(ref inFlight) == 0)
            {
                allAnswered.SetResult();
            }
        }

        async Task SendAsync(int i, long due)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, stack.GraphQLUrl) { Content = new ByteArrayContent(Body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.TryAddWithoutValidation("Authorization", $"JWT {tokens[i % tokens.Count]}");
                using var response = await client.SendAsync(request);
                var reply = await response.Content.ReadAsStringAsync();

                // As me.lua judges an answer: a 200 whose body carries the user's email and no GraphQL error.
                var good = response.IsSuccessStatusCode && reply.Contains("\"email\":\"", StringComparison.Ordinal)
                    && !reply.Contains("\"errors\"", StringComparison.Ordinal);
                latencies[i] = good ? Stopwatch.GetTimestamp() - due : Fail($"{(int)response.StatusCode} {reply[..Math.Min(reply.Length, 200)]}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                latencies[i] = Fail(e.Message);
            }
            finally
            {
                Answered();
            }
        }

        long Fail(string sample)
        {
            Interlocked.CompareExchange(ref errorSample, sample, "");
            return -1;
        }
    }

    private static double Percentile(long[] sorted, double quantile) =>
        sorted.Length == 0 ? double.NaN : ToMs(sorted[Math.Max(0, (int)Math.Ceiling(quantile * sorted.Length) - 1)]);

    private static double ToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
