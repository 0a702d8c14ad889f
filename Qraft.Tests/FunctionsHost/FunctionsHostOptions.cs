namespace Qraft.Tests.FunctionsHost;

/// <summary>What the harness starts and how long it waits, with the Functions host's own defaults.</summary>
public sealed record FunctionsHostOptions
{
    /// <summary>The built function app: the folder with worker.config.json, functions.metadata and host.json.</summary>
    public required string AppDirectory { get; init; }

    /// <summary>The app settings (local.settings.json's <c>Values</c>, app settings in Azure) the host hands its worker.</summary>
    public IReadOnlyDictionary<string, string> AppSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>From launching the process to its StartStream (the host's ProcessStartupTimeout).</summary>
    public TimeSpan ProcessStartupTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>From each request of the start-up (init, metadata, load) to its response (the host's InitializationTimeout).</summary>
    public TimeSpan InitializationTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a worker has to exit after WorkerTerminate before the host kills it.</summary>
    public TimeSpan TerminateGracePeriod { get; init; } = TimeSpan.FromSeconds(5);
}
