using System.Globalization;
using System.Text.RegularExpressions;

namespace Qraft.Bench;

/// <summary>
/// Server response times (HAProxy's Tr: request sent to a replica until its response headers came back) from the
/// stack's HAProxy access log, for the requests logged in a time window. Set beside the load generator's latency,
/// they tell how much of a percentile the replicas made and how much was spent around them (HAProxy waiting for CPU,
/// TLS, the load generator). HAProxy drops lines its log reader cannot take under load, so these are a sample; its
/// timestamps are local time.
/// </summary>
public static partial class HaproxyLog
{
    public static ServerTimes? Read(string logDir, DateTime fromUtc, DateTime toUtc)
    {
        var times = new List<int>();
        foreach (var file in Directory.EnumerateFiles(logDir, "haproxy.out.log*"))
        {
            foreach (var line in File.ReadLines(file))
            {
                if (Line().Match(line) is { Success: true } m
                    && DateTime.TryParseExact(m.Groups["at"].Value, "dd/MMM/yyyy:HH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal | DateTimeStyles.AdjustToUniversal, out var at)
                    && at >= fromUtc && at <= toUtc)
                {
                    times.Add(int.Parse(m.Groups["tr"].Value, CultureInfo.InvariantCulture));
                }
            }
        }

        if (times.Count == 0)
        {
            return null;
        }

        times.Sort();
        return new ServerTimes(times.Count, times[times.Count / 2], times[(int)(times.Count * 0.99)], times[^1]);
    }

    // 127.0.0.1:43830 [01/Dec/2026:08:13:54.651] fe_https~ be_app/app3 0/0/0/6/6 200 ...  (TR/Tw/Tc/Tr/Ta)
    [GeneratedRegex(@"\[(?<at>[^\]]+)\] fe_https~? be_app/\S+ -?\d+/-?\d+/-?\d+/(?<tr>\d+)/\d+ ")]
    private static partial Regex Line();
}

/// <param name="Logged">Requests found in the log for the window (a sample when HAProxy dropped lines).</param>
public sealed record ServerTimes(int Logged, int P50Ms, int P99Ms, int MaxMs);
