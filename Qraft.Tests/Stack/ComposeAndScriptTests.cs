using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Stack;

/// <summary>docker-compose.yml as Debian's docker-compose reads it (no Docker engine needed).</summary>
public sealed partial class ComposeConfigTests
{
    [Fact]
    public async Task ComposeFileIsValidAndOnlyHaproxyAndMaildevPublishPorts()
    {
        var config = await ConfigAsync();

        Assert.Equal(["haproxy", "maildev"], ServicesWith(config, "ports"));
        Assert.Equal(
            ["app1", "app2", "app3", "azurite", "cadvisor", "haproxy", "maildev", "node-exporter", "prometheus"],
            ServicesWith(config, "networks"));
        Assert.Matches(new Regex(@"^  backend:\n    internal: true$", RegexOptions.Multiline), config);
    }

    [Fact]
    public async Task MaildevTakesTheReplicasMailAndShowsItOnLoopbackOnly()
    {
        var config = await ConfigAsync();

        // The only published port besides HAProxy's is maildev's web view, bound to the host's loopback.
        var maildev = Regex.Match(config, @"^  maildev:\n(?<body>(?:    .*\n)+)", RegexOptions.Multiline).Groups["body"].Value;
        Assert.Matches(new Regex(@"^    image: maildev/maildev:\d+\.\d+\.\d+$", RegexOptions.Multiline), maildev);
        var ports = Regex.Match(maildev, @"^    ports:\n(?<list>(?:    - .*\n)+)", RegexOptions.Multiline).Groups["list"].Value;
        Assert.Equal("    - 127.0.0.1:1080:1080/tcp\n", ports);
        Assert.Equal(3, Regex.Matches(config, @"^      Qraft__Mail__SmtpHost: maildev$", RegexOptions.Multiline).Count);
        Assert.Equal(3, Regex.Matches(config, @"^      Qraft__Mail__SmtpPort: '1025'$", RegexOptions.Multiline).Count);
    }

    [Fact]
    public async Task ComposeRefusesToStartWithoutTheSecretsFile()
    {
        using var dir = new TempDir("qraft-compose-");

        var result = await Command.RunAsync(
            "docker-compose",
            ["-f", RepoPaths.Of("docker-compose.yml"), "config"],
            new Dictionary<string, string> { ["QRAFT_ENV_FILE"] = dir.File("missing.env") });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("missing.env", result.Output, StringComparison.Ordinal);
    }

    private static async Task<string> ConfigAsync()
    {
        using var dir = new TempDir("qraft-compose-");
        File.Copy(RepoPaths.Of("qraft.env.example"), dir.File("qraft.env"));

        var result = await Command.RunAsync(
            "docker-compose",
            ["-f", RepoPaths.Of("docker-compose.yml"), "config"],
            new Dictionary<string, string> { ["QRAFT_ENV_FILE"] = dir.File("qraft.env") });

        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StdOut;
    }

    /// <summary>Names of the services whose block in `docker-compose config` output has the given key.</summary>
    private static List<string> ServicesWith(string config, string key)
    {
        var found = new List<string>();
        var inServices = false;
        string? service = null;
        foreach (var line in config.Split('\n'))
        {
            if (!line.StartsWith(' '))
            {
                inServices = line == "services:";
                continue;
            }

            if (!inServices)
            {
                continue;
            }

            var serviceMatch = ServiceLine().Match(line);
            if (serviceMatch.Success)
            {
                service = serviceMatch.Groups[1].Value;
            }
            else if (service is not null && line.StartsWith($"    {key}:", StringComparison.Ordinal) && !found.Contains(service))
            {
                found.Add(service);
            }
        }

        return [.. found.Order(StringComparer.Ordinal)];
    }

    [GeneratedRegex(@"^  ([A-Za-z0-9_-]+):$")]
    private static partial Regex ServiceLine();
}

/// <summary>certs/make-certs: a local CA and a server certificate HAProxy can serve.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class CertificateScriptTests
{
    [Fact]
    public async Task MakesAServerCertificateForLocalhostThatChainsToTheLocalCa()
    {
        using var dir = new TempDir("qraft-certs-");

        var result = await Command.RunAsync(RepoPaths.Of("certs", "make-certs"), [dir.Path]);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var ca = X509CertificateLoader.LoadCertificateFromFile(dir.File("ca.crt"));
        using var server = X509CertificateLoader.LoadCertificateFromFile(dir.File("server.crt"));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(server), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.True(server.MatchesHostname("localhost"));
        Assert.True(server.MatchesHostname("127.0.0.1"));
        Assert.False(server.MatchesHostname("example.com"));
    }

    [Fact]
    public async Task PrivateKeysAreReadableByTheOwnerOnly()
    {
        using var dir = new TempDir("qraft-certs-");

        var result = await Command.RunAsync(RepoPaths.Of("certs", "make-certs"), [dir.Path]);

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var secret in new[] { "ca.key", "server.key", "haproxy.pem" })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.File(secret)));
        }
    }

    [Fact]
    public async Task RunningAgainKeepsTheExistingCertificates()
    {
        using var dir = new TempDir("qraft-certs-");
        var first = await Command.RunAsync(RepoPaths.Of("certs", "make-certs"), [dir.Path]);
        Assert.True(first.ExitCode == 0, first.ToString());
        var pem = await File.ReadAllTextAsync(dir.File("haproxy.pem"));

        var second = await Command.RunAsync(RepoPaths.Of("certs", "make-certs"), [dir.Path]);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(pem, await File.ReadAllTextAsync(dir.File("haproxy.pem")));
        Assert.DoesNotContain("created", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void PrivateKeysAreNeverTrackedByGit()
    {
        var ignored = File.ReadAllLines(RepoPaths.Of(".gitignore"));
        var certsIgnored = File.ReadAllLines(RepoPaths.Of("certs", ".gitignore"));

        Assert.Contains("*.key", ignored);
        Assert.Contains("*.pem", ignored);
        Assert.Contains("qraft.env", ignored);
        Assert.Contains("out/", certsIgnored);
    }
}

/// <summary>The stack's shell scripts pass ShellCheck.</summary>
public sealed class ShellScriptTests
{
    [Fact]
    public async Task StackScriptsAreShellCheckClean()
    {
        string[] scripts = ["local/up", "local/down", "local/render", "local/lib.sh", "local/test", "certs/make-certs", "bench/run", "bench/soak-exporters"];

        var result = await Command.RunAsync("shellcheck", ["-x", .. scripts]);

        Assert.True(result.ExitCode == 0, result.ToString());
    }
}
