using System.Diagnostics;
using System.Net;
using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.FunctionsHost;

/// <summary>How the worker starts and ends under the host: a clean exit on WorkerTerminate, and clear errors when it cannot start.</summary>
[Collection(FunctionsHostCollection.Name)]
public sealed class FunctionsHostLifecycleTests(FunctionsHostFixture fixture) : IDisposable
{
    private readonly DirectoryInfo _app = Directory.CreateTempSubdirectory("qraft-fake-worker-");

    public void Dispose() => _app.Delete(recursive: true);

    /// <remarks>
    /// With the app's own settings, as a <c>func start</c> user has them: the self-host's drain period (5 s by default)
    /// must not hold the worker past the 5 s the host waits before it kills the process.
    /// </remarks>
    [Fact]
    public async Task OnWorkerTerminateTheWorkerExitsByItselfWithCodeZeroWithinTheGracePeriod()
    {
        var settings = QraftTestApp.SharedSettings(fixture.Azurite.ConnectionString);
        settings.Remove("Qraft:DrainPeriod");
        await using var harness = await FunctionsHostHarness.StartAsync(new FunctionsHostOptions
        {
            AppDirectory = RepoPaths.AppOutput,
            AppSettings = fixture.AppSettings(settings, "terminate"),
        });
        using (var health = await new HttpClient { BaseAddress = harness.Address }.GetAsync("/health"))
        {
            Assert.True(health.StatusCode == HttpStatusCode.OK, string.Join(Environment.NewLine, harness.FrontEnd!.Failures));
        }

        var exit = await harness.TerminateAsync();

        Assert.Equal(new WorkerExit(ExitedWithinGracePeriod: true, ExitCode: 0), exit);
    }

    [Fact]
    public async Task AWorkerThatExitsOnBadConfigurationFailsTheStartWithItsExitCodeAndMessage()
    {
        var settings = QraftTestApp.SharedSettings(fixture.Azurite.ConnectionString);
        settings.Remove("Jwt:SigningKey");

        var failure = await Assert.ThrowsAsync<FunctionsHostException>(() => FunctionsHostHarness.StartAsync(new FunctionsHostOptions
        {
            AppDirectory = RepoPaths.AppOutput,
            AppSettings = fixture.AppSettings(settings, "nokey"),
        }));

        Assert.Contains("exited with code 2 before it could open its event stream (StartStream)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Jwt__SigningKey", failure.Message, StringComparison.Ordinal);
        AssertGone(failure.WorkerProcessId);
    }

    [Fact]
    public async Task AWorkerThatNeverConnectsFailsTheStartAtTheStartupTimeoutAndIsStopped()
    {
        // A worker.config.json like the app's, naming a program that starts but never dials the host.
        File.WriteAllText(Path.Combine(_app.FullName, WorkerCommand.ConfigFileName),
            """{ "description": { "language": "dotnet-isolated", "defaultExecutablePath": "/bin/sh", "defaultWorkerPath": "never-connects.sh" } }""");
        File.WriteAllText(Path.Combine(_app.FullName, "never-connects.sh"), "echo starting slowly\nexec sleep 600\n");

        var failure = await Assert.ThrowsAsync<FunctionsHostException>(() => FunctionsHostHarness.StartAsync(new FunctionsHostOptions
        {
            AppDirectory = _app.FullName,
            ProcessStartupTimeout = TimeSpan.FromSeconds(2),
        }));

        Assert.Contains("did not open its event stream (StartStream) within 2 s", failure.Message, StringComparison.Ordinal);
        Assert.Contains("starting slowly", failure.Message, StringComparison.Ordinal);
        AssertGone(failure.WorkerProcessId);
    }

    private static void AssertGone(int? processId)
    {
        Assert.NotNull(processId);
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(processId.Value));
    }
}
