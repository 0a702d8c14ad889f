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
            Assert.Contains($"--urls http://127.0.0.1:{stack.Ports[2 + i]}", section, StringComparison.Ordinal);
            Assert.Contains($"QRAFT_INSTANCE=\"{instances[i]}\"", section, StringComparison.Ordinal);
            Assert.Contains($"Jwt__SigningKey=\"{key}\"", section, StringComparison.Ordinal);
            Assert.Contains($"qraft_users-{instances[i]}.log", section, StringComparison.Ordinal);
            Assert.Contains($"127.0.0.1:{stack.Ports[5]}/devstoreaccount1", section, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ProcessExporterNamesEachReplicaGroupByInstance()
    {
        var config = File.ReadAllText(Path.Combine(stack.StateDir, "process-exporter.yml"));

        for (var i = 0; i < 3; i++)
        {
            Assert.Contains($"name: \"qraft-app{i + 1}\"", config, StringComparison.Ordinal);
            Assert.Contains($@"127\.0\.0\.1:{stack.Ports[2 + i]}(/|\s|$)", config, StringComparison.Ordinal);
        }
    }
}
