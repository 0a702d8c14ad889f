using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Qraft.Security;
using Qraft.Storage;
using Qraft.Users;

namespace Qraft.Tests.Infrastructure;

/// <summary>
/// The storage services composed exactly as the app composes them (<see cref="StorageServiceCollectionExtensions.AddQraftStorage"/>),
/// pointed at a test Azurite. Two instances with one table prefix behave as two replicas: separate clients, shared tables.
/// </summary>
public sealed class StorageServices : IAsyncDisposable
{
    private readonly IHost _host;

    private StorageServices(IHost host) => _host = host;

    public IUserStore Users => _host.Services.GetRequiredService<IUserStore>();

    /// <summary>The readiness check's verdict on storage, as <c>/health/ready</c> evaluates it.</summary>
    public async Task<bool> IsStorageReachableAsync(CancellationToken cancellationToken)
    {
        var check = ActivatorUtilities.CreateInstance<TableStorageHealthCheck>(_host.Services);
        return (await check.CheckHealthAsync(new HealthCheckContext(), cancellationToken)).Status == HealthStatus.Healthy;
    }

    public IRefreshTokens RefreshTokens => _host.Services.GetRequiredService<IRefreshTokens>();

    public ILoginThrottle Throttle => _host.Services.GetRequiredService<ILoginThrottle>();

    public IEmailTokens EmailTokens => _host.Services.GetRequiredService<IEmailTokens>();

    /// <summary>Any other registration, such as the purge or the leases it takes.</summary>
    internal T Get<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();

    /// <summary>A prefix no other test uses, so each test starts with empty tables.</summary>
    public static string NewTablePrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// Builds and starts the host, which runs the options' startup validation. <paramref name="services"/> adds to
    /// the app's registrations after it made them, e.g. a test credential for an endpoint-URI setting.
    /// </summary>
    public static async Task<StorageServices> StartAsync(
        string connectionString,
        string tablePrefix,
        TimeProvider? time = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [TableStorageOptions.ConnectionSetting] = connectionString,
            [$"{TableStorageOptions.SectionName}:TablePrefix"] = tablePrefix,

            // Off unless a test turns it on: tests move fake clocks by days, and a purge running in the background
            // would delete the expired rows they are about to read.
            [$"{PurgeOptions.SectionName}:Interval"] = "00:00:00",
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
        services?.Invoke(builder.Services);
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
