using ScottPlot;

namespace Qraft.Bench;

/// <summary>The PNGs next to REPORT.md: grouped bars with the target drawn as a dashed line.</summary>
public static class Plots
{
    private const int Width = 900;
    private const int Height = 500;

    public static void Draw(BenchResults results, string outDir)
    {
        var bounds = results.Logins.Concat(results.SignUps).ToArray();
        Grouped(
            Path.Combine(outDir, "hash-bound.png"),
            "Password-bound throughput vs the machine hashing alone and cores / one hash",
            "requests per second",
            bounds.Select(b => $"{b.Name}\n{b.Iterations / 1000}k c{b.Run.Wrk.Connections}").ToArray(),
            [
                ("achieved", bounds.Select(b => b.Run.Wrk.RequestsPerSecond).ToArray()),
                ("machine alone", bounds.Select(b => b.MachineMean).ToArray()),
                ("limit", bounds.Select(b => b.LimitPerSecond).ToArray()),
            ],
            target: null);

        Grouped(
            Path.Combine(outDir, "me-throughput.png"),
            "Authenticated me through HAProxy + TLS (target 6,000/s at 64 connections)",
            "requests per second",
            results.Me.Select(m => $"{m.Wrk.Connections} conn").ToArray(),
            [("req/s", results.Me.Select(m => m.Wrk.RequestsPerSecond).ToArray())],
            target: 6000);

        Grouped(
            Path.Combine(outDir, "me-latency.png"),
            "me latency (target p99 < 25 ms at 64 connections)",
            "milliseconds",
            results.Me.Select(m => $"{m.Wrk.Connections} conn").ToArray(),
            [("p50", results.Me.Select(m => m.Wrk.P50Ms).ToArray()), ("p99", results.Me.Select(m => m.Wrk.P99Ms).ToArray())],
            target: 25);

        if (results.Me.LastOrDefault() is { } busiest)
        {
            var parties = Report.CpuShares(busiest);
            Grouped(
                Path.Combine(outDir, "me-cpu.png"),
                $"Who used the {results.Machine.Cores} cores during {busiest.Name}",
                "% of machine CPU",
                parties.Select(p => p.Party).ToArray(),
                [("CPU %", parties.Select(p => p.Percent).ToArray())],
                target: null);
        }

        Grouped(
            Path.Combine(outDir, "growth.png"),
            "Cost growth: p50 latency by users in the table",
            "milliseconds",
            ["me (500 users' tokens)", "login"],
            results.Growth.Select(g => ($"{g.UsersInTable:N0} users", new[] { g.Me.Wrk.P50Ms, g.Login.Wrk.P50Ms })).ToArray(),
            target: null);

        Grouped(
            Path.Combine(outDir, "solo-start.png"),
            "One replica: process start to first ready answer (target < 1,000 ms)",
            "milliseconds (median of 3)",
            results.Solo.Select(s => s.Variant).ToArray(),
            [("start", results.Solo.Select(s => Report.Median(s.StartMs)).ToArray())],
            target: 1000);

        Grouped(
            Path.Combine(outDir, "solo-rss.png"),
            "One replica: peak resident memory under me load (target < 150 MB)",
            "MB",
            results.Solo.Select(s => s.Variant).ToArray(),
            [("peak RSS", results.Solo.Select(s => s.PeakRssMb).ToArray())],
            target: 150);
    }

    /// <summary>One group of bars per label, one bar per series.</summary>
    private static void Grouped(
        string path, string title, string yLabel, string[] labels, (string Name, double[] Values)[] series, double? target)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var width = 0.8 / series.Length;
        for (var s = 0; s < series.Length; s++)
        {
            var bars = series[s].Values.Select((value, i) => new Bar
            {
                Position = i + ((s - ((series.Length - 1) / 2.0)) * width),
                Value = value,
                Size = width * 0.95,
                FillColor = palette.GetColor(s),
                Label = value >= 100 ? value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : value.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture),
            }).ToList();
            var added = plot.Add.Bars(bars);
            added.ValueLabelStyle.FontSize = 11;
            added.LegendText = series[s].Name;
        }

        if (target is { } line)
        {
            var rule = plot.Add.HorizontalLine(line);
            rule.LinePattern = LinePattern.Dashed;
            rule.Color = Colors.Red;
            rule.LegendText = $"target {line:N0}";
        }

        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, labels.Length).Select(i => (double)i).ToArray(), labels);
        // Room above the tallest bar for the legend, which would otherwise hide the last group's bars.
        plot.Axes.Margins(bottom: 0, top: 0.1 + (0.08 * (series.Length + (target is null ? 0 : 1))));
        plot.Title(title);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, Width, Height);
    }
}
