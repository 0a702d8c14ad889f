using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Qraft.Security;
using Qraft.Users;

namespace Qraft.Tests.Infrastructure;

/// <summary>
/// The storage services composed exactly as the app composes them (<see cref="UsersServiceCollectionExtensions.AddQraftStorage"/>),
/// pointed at a test Azurite. Two instances with one table prefix behave as two replicas: separate clients, shared tables.
/// </summary>
public sealed class StorageServices : IAsyncDisposable
{
    private readonly IHost _host;

    private StorageServices(IHost host) => _host = host;

    public IUserStore Users => _host.Services.GetRequiredService<IUserStore>();

    public IStorageProbe Probe => _host.Services.GetRequiredService<IStorageProbe>();

    public IRefreshTokens RefreshTokens => _host.Services.GetRequiredService<IRefreshTokens>();

    public ILoginThrottle Throttle => _host.Services.GetRequiredService<ILoginThrottle>();

    /// <summary>A prefix no other test uses, so each test starts with empty tables.</summary>
    public static string NewTablePrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Builds and starts the host, which runs the options' startup validation.</summary>
    public static async Task<StorageServices> StartAsync(
        string connectionString,
        string tablePrefix,
        TimeProvider? time = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [TableStorageOptions.ConnectionSetting] = connectionString,
            [$"{TableStorageOptions.SectionName}:TablePrefix"] = tablePrefix,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.AddQraftStorage();
        var host = builder.Build();
        await host.StartAsync();
        return new StorageServices(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
