using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Stack;

/// <summary>
/// Certificates (certs/make-certs) and the local stack's rendered configuration
/// (local/render) in a temp dir, on free ports, without starting anything.
/// Shared by the configuration tests of one class.
/// </summary>
public sealed class StackConfigFixture : IAsyncLifetime
{
    private readonly TempDir _dir = new("qraft-cfg-");

    public string CertDir => Path.Combine(_dir.Path, "certs");

    public string StateDir => Path.Combine(_dir.Path, "state");

    public int[] Ports { get; } = FreePorts.Take(10);

    /// <summary>The environment local/up would run with (ports as in <see cref="Ports"/>).</summary>
    public IReadOnlyDictionary<string, string> StackEnvironment => new Dictionary<string, string>
    {
        ["QRAFT_STATE_DIR"] = StateDir,
        ["QRAFT_CERT_DIR"] = CertDir,
        ["QRAFT_HTTPS_PORT"] = Ports[0].ToString(),
        ["QRAFT_HTTP_PORT"] = Ports[1].ToString(),
        ["QRAFT_APP_PORTS"] = $"{Ports[2]},{Ports[3]},{Ports[4]}",
        ["QRAFT_AZURITE_PORT"] = Ports[5].ToString(),
        ["QRAFT_PROMETHEUS_PORT"] = Ports[6].ToString(),
        ["QRAFT_EXPORTER_PORTS"] = $"{Ports[7]},{Ports[8]},{Ports[9]}",
    };

    public async Task InitializeAsync()
    {
        var certs = await Command.RunAsync(RepoPaths.Of("certs", "make-certs"), [CertDir]);
        Assert.True(certs.ExitCode == 0, certs.ToString());
        var render = await Command.RunAsync(RepoPaths.Of("local", "render"), [], StackEnvironment);
        Assert.True(render.ExitCode == 0, render.ToString());
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
