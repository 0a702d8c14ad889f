using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Stack;

/// <summary>
/// Certificates (certs/make-certs) and the local stack's rendered configuration
/// (local/render) in a temp dir, on ports it picks (QRAFT_PORTS=auto), without starting anything.
/// Shared by the configuration tests of one class.
/// </summary>
public sealed class StackConfigFixture : IAsyncLifetime
{
    private readonly TempDir _dir = new("qraft-cfg-");

    public string CertDir => Path.Combine(_dir.Path, "certs");

    public string StateDir => Path.Combine(_dir.Path, "state");

    /// <summary>The ports local/render picked, from the ports.env it wrote.</summary>
    public StackPorts Ports { get; private set; } = null!;

    /// <summary>The environment local/up would run with: the stack picks its own free ports.</summary>
    public IReadOnlyDictionary<string, string> StackEnvironment => new Dictionary<string, string>
    {
        ["QRAFT_STATE_DIR"] = StateDir,
        ["QRAFT_CERT_DIR"] = CertDir,
        ["QRAFT_PORTS"] = "auto",
    };

    public async Task InitializeAsync()
    {
        var certs = await Command.RunAsync(RepoPaths.Of("certs", "make-certs"), [CertDir]);
        Assert.True(certs.ExitCode == 0, certs.ToString());
        var render = await Command.RunAsync(RepoPaths.Of("local", "render"), [], StackEnvironment);
        Assert.True(render.ExitCode == 0, render.ToString());
        Ports = StackPorts.From(EnvFile.Read(Path.Combine(StateDir, "ports.env")));
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
