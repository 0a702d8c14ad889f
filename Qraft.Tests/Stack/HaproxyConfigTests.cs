using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Stack;

/// <summary>haproxy/haproxy.cfg checked by Debian's HAProxy 2.6 (`haproxy -c`) with each stack's environment.</summary>
public sealed class HaproxyConfigTests(StackConfigFixture stack) : IClassFixture<StackConfigFixture>
{
    private static readonly string Config = RepoPaths.Of("haproxy", "haproxy.cfg");

    [Fact]
    public async Task ConfigIsValidWithoutWarningsInTheLocalStacksEnvironment()
    {
        var env = EnvFile.Read(Path.Combine(stack.StateDir, "haproxy.env"));

        var result = await Command.RunAsync("haproxy", ["-c", "-dW", "-f", Config], env);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Configuration file is valid", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("WARNING", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigIsValidWithComposesServiceNamesEvenBeforeTheyResolve()
    {
        var env = ComposeEnvironment();

        var result = await Command.RunAsync("haproxy", ["-c", "-f", Config], env);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Configuration file is valid", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigIsRejectedWhenAnAddressIsMissingFromTheEnvironment()
    {
        var env = EnvFile.Read(Path.Combine(stack.StateDir, "haproxy.env"));
        env.Remove("QRAFT_APP2_ADDR");

        var result = await Command.RunAsync("haproxy", ["-c", "-dW", "-f", Config], env);

        Assert.NotEqual(0, result.ExitCode);
    }

    [Fact]
    public void RetriesCoverOnlyFailuresWhereTheRequestCannotHaveRunTwice()
    {
        var retryOn = File.ReadLines(Config)
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("retry-on ", StringComparison.Ordinal))
            .ToList();

        Assert.Equal(2, retryOn.Count); // be_app and be_app_live
        Assert.All(retryOn, line => Assert.Equal("retry-on conn-failure empty-response", line));
    }

    [Fact]
    public void EveryAddressPortAndCredentialComesFromTheEnvironment()
    {
        var lines = File.ReadLines(Config)
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("bind ", StringComparison.Ordinal)
                || l.StartsWith("server ", StringComparison.Ordinal)
                || l.StartsWith("user ", StringComparison.Ordinal))
            .ToList();

        Assert.Equal(11, lines.Count); // http, https and exporter binds; 3 replicas in be_app and in be_app_live, the exporter sidecar; the stats user
        Assert.All(lines, l => Assert.Matches("\"\\$\\{QRAFT_[A-Z0-9_]+\\}\"", l));
    }

    private Dictionary<string, string> ComposeEnvironment() => new()
    {
        ["QRAFT_HTTP_BIND"] = ":80",
        ["QRAFT_HTTPS_BIND"] = ":443",
        ["QRAFT_HTTPS_PORT"] = "443",
        ["QRAFT_TLS_PEM"] = Path.Combine(stack.CertDir, "haproxy.pem"),
        ["QRAFT_APP1_ADDR"] = "app1:80",
        ["QRAFT_APP2_ADDR"] = "app2:80",
        ["QRAFT_APP3_ADDR"] = "app3:80",
        ["QRAFT_EXPORTER_ADDR"] = "cadvisor:8080",
        ["QRAFT_PROMEX_BIND"] = ":8405",
        ["QRAFT_STATS_USER"] = "admin",
        ["QRAFT_STATS_PASSWORD"] = "not-a-real-password",
    };
}
