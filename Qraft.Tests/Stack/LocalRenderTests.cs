using System.Runtime.Versioning;

using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Stack;

/// <summary>local/render: the generated configuration of the local stack, without starting it.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class LocalRenderTests(StackConfigFixture stack) : IClassFixture<StackConfigFixture>
{
    [Theory]
    [InlineData("secrets.env")]
    [InlineData("haproxy.env")]
    [InlineData("supervisord.conf")]
    public void FilesHoldingSecretsAreReadableByTheOwnerOnly(string file)
    {
        var mode = File.GetUnixFileMode(Path.Combine(stack.StateDir, file));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }

    [Fact]
    public async Task SecretsAreGeneratedOnceAndKeptByLaterRuns()
    {
        var before = EnvFile.Read(Path.Combine(stack.StateDir, "secrets.env"));

        var again = await Command.RunAsync(RepoPaths.Of("local", "render"), [], stack.StackEnvironment);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(before, EnvFile.Read(Path.Combine(stack.StateDir, "secrets.env")));
        Assert.Equal(stack.Ports.All, StackPorts.From(EnvFile.Read(Path.Combine(stack.StateDir, "ports.env"))).All);
        Assert.True(before["QRAFT_JWT_SIGNING_KEY"].Length >= 32);
        Assert.True(before["QRAFT_STATS_PASSWORD"].Length >= 16);
    }

    [Fact]
    public void EveryReplicaGetsItsInstanceNamePortSharedKeyAndOwnLogFile()
    {
        var conf = File.ReadAllText(Path.Combine(stack.StateDir, "supervisord.conf"));
        var key = EnvFile.Read(Path.Combine(stack.StateDir, "secrets.env"))["QRAFT_JWT_SIGNING_KEY"];
        string[] instances = ["app1", "app2", "app3"];

        for (var i = 0; i < 3; i++)
        {
            var section = conf.Split($"[program:{instances[i]}]")[1].Split("\n\n")[0];
            Assert.Contains($"--urls http://127.0.0.1:{stack.Ports.Apps[i]}", section, StringComparison.Ordinal);
            Assert.Contains($"QRAFT_INSTANCE=\"{instances[i]}\"", section, StringComparison.Ordinal);
            Assert.Contains($"Jwt__SigningKey=\"{key}\"", section, StringComparison.Ordinal);
            Assert.Contains($"qraft_users-{instances[i]}.log", section, StringComparison.Ordinal);
            Assert.Contains($"127.0.0.1:{stack.Ports.Azurite}/devstoreaccount1", section, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ProcessExporterNamesEachReplicaGroupByInstance()
    {
        var config = File.ReadAllText(Path.Combine(stack.StateDir, "process-exporter.yml"));

        for (var i = 0; i < 3; i++)
        {
            Assert.Contains($"name: \"qraft-app{i + 1}\"", config, StringComparison.Ordinal);
            Assert.Contains($@"127\.0\.0\.1:{stack.Ports.Apps[i]}(/|\s|$)", config, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AutoPortsAreDistinctAndBelowTheEphemeralRange()
    {
        var all = stack.Ports.All;

        Assert.Equal(12, all.Distinct().Count());
        Assert.All(all, port => Assert.InRange(port, 20_000, 31_999));
    }

    [Fact]
    public async Task WithoutQraftPortsTheSpecDefaultsApply()
    {
        using var dir = new TempDir("qraft-cfg-");

        var state = await RenderAsync(dir, []);

        var haproxy = EnvFile.Read(Path.Combine(state, "haproxy.env"));
        Assert.Equal("127.0.0.1:8443", haproxy["QRAFT_HTTPS_BIND"]);
        Assert.Equal("127.0.0.1:8080", haproxy["QRAFT_HTTP_BIND"]);
        Assert.Equal(["127.0.0.1:7071", "127.0.0.1:7072", "127.0.0.1:7073"], new[] { "QRAFT_APP1_ADDR", "QRAFT_APP2_ADDR", "QRAFT_APP3_ADDR" }.Select(name => haproxy[name]));
        var conf = await File.ReadAllTextAsync(Path.Combine(state, "supervisord.conf"));
        Assert.Contains("--tablePort 10002 ", conf, StringComparison.Ordinal);
        Assert.Contains("--web.listen-address=127.0.0.1:9090 ", conf, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(state, "ports.env")));
    }

    [Fact]
    public async Task AnExplicitPortWinsOverQraftPortsAuto()
    {
        using var dir = new TempDir("qraft-cfg-");

        var state = await RenderAsync(dir, new() { ["QRAFT_PORTS"] = "auto", ["QRAFT_HTTPS_PORT"] = "18443" });

        var ports = StackPorts.From(EnvFile.Read(Path.Combine(state, "ports.env")));
        Assert.Equal(18443, ports.Https);
        Assert.DoesNotContain(18443, ports.Internal);
        Assert.Equal("127.0.0.1:18443", EnvFile.Read(Path.Combine(state, "haproxy.env"))["QRAFT_HTTPS_BIND"]);
    }

    [Fact]
    public async Task WithEs256EveryReplicaSignsWithOneP256KeyMadeOnceAndOwnerOnly()
    {
        using var dir = new TempDir("qraft-cfg-");
        var settings = new Dictionary<string, string> { ["QRAFT_PORTS"] = "auto", ["QRAFT_JWT_ALGORITHM"] = "ES256" };
        var state = await RenderAsync(dir, settings);
        var keyFile = Path.Combine(state, "jwt-es256.pem");
        var key = File.ReadAllText(keyFile);

        await RenderAsync(dir, settings);

        Assert.Equal(key, File.ReadAllText(keyFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        var conf = File.ReadAllText(Path.Combine(state, "supervisord.conf"));
        foreach (var instance in new[] { "app1", "app2", "app3" })
        {
            var section = conf.Split($"[program:{instance}]")[1].Split("\n\n")[0];
            Assert.Contains("Jwt__Algorithm=\"ES256\",Jwt__KeyId=\"local-es256\"", section, StringComparison.Ordinal);
            var pem = section.Split("Jwt__PrivateKey=\"")[1].Split('"')[0];
            Assert.Equal(key.ReplaceLineEndings(""), pem);

            // The one-line form the replicas get is what they must be able to load.
            using var ecdsa = System.Security.Cryptography.ECDsa.Create();
            ecdsa.ImportFromPem(pem);
            Assert.Equal(256, ecdsa.KeySize);
        }
    }

    [Fact]
    public async Task AnUnknownJwtAlgorithmIsRefused()
    {
        using var dir = new TempDir("qraft-cfg-");

        var render = await Command.RunAsync(
            RepoPaths.Of("local", "render"),
            [],
            new Dictionary<string, string> { ["QRAFT_STATE_DIR"] = dir.File("state"), ["QRAFT_CERT_DIR"] = stack.CertDir, ["QRAFT_JWT_ALGORITHM"] = "RS512" });

        Assert.NotEqual(0, render.ExitCode);
        Assert.Contains("QRAFT_JWT_ALGORITHM must be HS256 or ES256", render.ToString(), StringComparison.Ordinal);
    }

    /// <summary>local/render into a state dir of its own (the fixture's certificates) with these settings; returns the state dir.</summary>
    private async Task<string> RenderAsync(TempDir dir, Dictionary<string, string> settings)
    {
        settings["QRAFT_STATE_DIR"] = dir.File("state");
        settings["QRAFT_CERT_DIR"] = stack.CertDir;

        var render = await Command.RunAsync(RepoPaths.Of("local", "render"), [], settings);

        Assert.True(render.ExitCode == 0, render.ToString());
        return settings["QRAFT_STATE_DIR"];
    }
}
