using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.FunctionsHost;

/// <summary>
/// One Azurite, one worker driven by <see cref="FunctionsHostHarness"/>, and one self-hosted replica of the same
/// build sharing its tables and signing key: the two paths to the same functions, side by side.
/// </summary>
public sealed class FunctionsHostFixture : IAsyncLifetime
{
    /// <summary>Both paths answer as the same instance, so X-Served-By needs no normalizing.</summary>
    public const string Instance = "parity";

    private readonly DirectoryInfo _logs = Directory.CreateTempSubdirectory("qraft-func-host-");
    private AzuriteProcess? _azurite;
    private FunctionsHostHarness? _harness;
    private QraftTestApp? _selfHost;

    public AzuriteProcess Azurite => _azurite ?? throw NotStarted();

    public FunctionsHostHarness Harness => _harness ?? throw NotStarted();

    public QraftTestApp SelfHost => _selfHost ?? throw NotStarted();

    /// <summary>A client of the worker through the harness, as of <c>func start</c>'s port.</summary>
    public GraphQLClient Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartNewAsync();
        var shared = QraftTestApp.SharedSettings(_azurite.ConnectionString);
        _selfHost = await QraftTestApp.StartAsync(shared, Instance);
        _harness = await StartHarnessAsync(AppSettings(shared, "worker"));
        Host = new GraphQLClient(new HttpClient { BaseAddress = _harness.Address });
    }

    public async Task DisposeAsync()
    {
        Host.Dispose();
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }

        if (_selfHost is not null)
        {
            await _selfHost.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        _logs.Delete(recursive: true);
    }

    /// <summary>A worker of its own, for tests that end it; on this fixture's Azurite with tables of its own.</summary>
    public Task<FunctionsHostHarness> StartHarnessAsync(string name) =>
        StartHarnessAsync(AppSettings(QraftTestApp.SharedSettings(Azurite.ConnectionString), name));

    /// <summary>
    /// Settings as local.settings.json's Values would hold them: environment names (<c>__</c> for nesting), the host's
    /// storage too, and a log file outside the build output (the worker runs in the app directory, as under the host).
    /// </summary>
    public Dictionary<string, string> AppSettings(IReadOnlyDictionary<string, string?> settings, string logName)
    {
        var values = settings.Where(s => s.Value is not null).ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
        values["AzureWebJobsStorage"] = Azurite.ConnectionString;
        values["QRAFT_INSTANCE"] = Instance;
        values["Logging__File__Path"] = Path.Combine(_logs.FullName, $"{logName}.log");
        return values;
    }

    private static Task<FunctionsHostHarness> StartHarnessAsync(Dictionary<string, string> settings) =>
        FunctionsHostHarness.StartAsync(new FunctionsHostOptions { AppDirectory = RepoPaths.AppOutput, AppSettings = settings });

    private static InvalidOperationException NotStarted() => new("The fixture has not started.");
}

[CollectionDefinition(Name)]
public sealed class FunctionsHostCollection : ICollectionFixture<FunctionsHostFixture>
{
    public const string Name = "Functions host";
}
