using System.Text.RegularExpressions;

using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Stack;

/// <summary>prometheus/: scrape configs, alert rules and their unit tests, checked by Debian's promtool.</summary>
public sealed partial class PrometheusConfigTests(StackConfigFixture stack) : IClassFixture<StackConfigFixture>
{
    private static readonly string RulesDir = RepoPaths.Of("prometheus", "rules");
    private static readonly string TestsDir = RepoPaths.Of("prometheus", "tests");

    [Fact]
    public async Task RenderedLocalConfigPassesPromtoolAndScrapesEveryReplicaAndExporter()
    {
        var config = Path.Combine(stack.StateDir, "prometheus", "prometheus.yml");

        var result = await Command.RunAsync("promtool", ["check", "config", config]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var text = await File.ReadAllTextAsync(config);
        Assert.DoesNotContain("${", text, StringComparison.Ordinal);
        int[] scraped = [.. stack.Ports.Apps, stack.Ports.Prometheus, .. stack.Ports.Exporters];
        foreach (var port in scraped)
        {
            Assert.Contains($"\"127.0.0.1:{port}\"", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ComposeConfigPassesPromtool()
    {
        var result = await Command.RunAsync("promtool", ["check", "config", RepoPaths.Of("prometheus", "compose.yml")]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("SUCCESS", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlertRulesPassPromtoolCheck()
    {
        var result = await Command.RunAsync("promtool", ["check", "rules", .. RuleFiles()]);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task AlertRuleUnitTestsPass()
    {
        var tests = Directory.GetFiles(TestsDir, "*.yml").Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(tests);

        var result = await Command.RunAsync("promtool", ["test", "rules", .. tests], workingDirectory: TestsDir);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("FAILED", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryAlertHasAFiringAndANotFiringTestCase()
    {
        var alerts = RuleFiles().SelectMany(f => AlertName().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToList();
        var cases = Directory.GetFiles(TestsDir, "*.yml")
            .SelectMany(f => AlertCase().Matches(File.ReadAllText(f)))
            .Select(m => (Alert: m.Groups[1].Value, Fires: m.Groups[2].Value != "[]"))
            .ToList();

        Assert.NotEmpty(alerts);
        Assert.All(alerts, alert =>
        {
            Assert.Contains((alert, true), cases);
            Assert.Contains((alert, false), cases);
        });
    }

    [Fact]
    public void EveryAlertCarriesForSeveritySummaryDescriptionAndRunbook()
    {
        var blocks = RuleFiles()
            .SelectMany(f => File.ReadAllText(f).Split("- alert:", StringSplitOptions.None).Skip(1))
            .ToList();

        Assert.NotEmpty(blocks);
        Assert.All(blocks, block =>
        {
            foreach (var key in new[] { "expr:", "for:", "severity:", "summary:", "description:", "runbook_url:" })
            {
                Assert.Contains(key, block, StringComparison.Ordinal);
            }
        });
    }

    private static string[] RuleFiles() => [.. Directory.GetFiles(RulesDir, "*.yml").Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"- alert: (\w+)")]
    private static partial Regex AlertName();

    [GeneratedRegex(@"alertname: (\w+)\s+exp_alerts:\s*(\[\]|\n)")]
    private static partial Regex AlertCase();
}
