using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Qraft.Hosting;

namespace Qraft.Tests.Infrastructure;

/// <summary>
/// One replica of the real app, self-hosted on Kestrel at a free loopback port exactly as <c>dotnet Qraft.Functions.dll</c>
/// runs it, against a test Azurite. Only infrastructure differs: its own table prefix, a test signing key, fewer hash
/// iterations unless a test asks for more, and a log file in a temp folder.
/// </summary>
public sealed class QraftTestApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private QraftTestApp(WebApplication app, Uri address, string logFolder, IReadOnlyDictionary<string, string?> settings)
    {
        _app = app;
        Address = address;
        LogFolder = logFolder;
        Settings = settings;
        Client = new GraphQLClient(new HttpClient { BaseAddress = address });
    }

    public Uri Address { get; }

    public GraphQLClient Client { get; }

    public string LogFolder { get; }

    public IReadOnlyDictionary<string, string?> Settings { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Settings two replicas must share: storage, tables and the signing key.</summary>
    public static Dictionary<string, string?> SharedSettings(string connectionString, string? tablePrefix = null) => new()
    {
        ["TableStorage"] = connectionString,
        ["Qraft:Storage:TablePrefix"] = tablePrefix ?? StorageServices.NewTablePrefix(),
        ["Jwt:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)),
        ["Qraft:PasswordIterations"] = "1000",
        ["Qraft:DrainPeriod"] = "00:00:00",
    };

    public static async Task<QraftTestApp> StartAsync(
        IReadOnlyDictionary<string, string?> settings,
        string instance = "test",
        Action<IServiceCollection>? services = null)
    {
        var logFolder = Directory.CreateTempSubdirectory("qraft-logs-").FullName;
        var all = new Dictionary<string, string?>(settings)
        {
            ["QRAFT_INSTANCE"] = instance,
            ["Logging:File:Path"] = Path.Combine(logFolder, $"qraft_users-{instance}.log"),
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        // Settings arrive as command-line arguments, as a process gets them, so that choices made while the app is
        // composed (Application Insights on or off) see them as well as options bound later do.
        string[] args = ["--urls", "http://127.0.0.1:0", .. all.Where(s => s.Value is not null).Select(s => $"--{s.Key}={s.Value}")];
        var app = QraftSelfHost.Build(args, builder => services?.Invoke(builder.Services));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new QraftTestApp(app, new Uri(address), logFolder, all);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(LogFolder, recursive: true);
    }
}
