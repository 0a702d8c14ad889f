using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Qraft.Mail;
using Qraft.Observability;
using Qraft.Security;
using Qraft.Users;

namespace Qraft.Storage;

public static class StorageServiceCollectionExtensions
{
    private const int MaxTablePrefixLength = 40;

    /// <summary>
    /// Users, refresh tokens and login throttling on Azure Table Storage, plus the periodic purge of expired rows
    /// (<see cref="ExpiredStatePurge"/>); all of them, and the readiness check (<see cref="TableStorageHealthCheck"/>,
    /// registered with the other health checks), share one <see cref="TableServiceClient"/>. Settings are checked at startup. When the setting is an endpoint URI the
    /// client signs in with the registered <see cref="TokenCredential"/>: DefaultAzureCredential unless one is
    /// registered already (the managed identity in Azure, a developer's az login locally).
    /// </summary>
    public static IHostApplicationBuilder AddQraftStorage(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);

        // Storage calls are measured where they run; composed alone (as in storage tests) the metrics still have a home.
        services.TryAddSingleton<QraftMetrics>();

        services.AddOptions<TableStorageOptions>()
            .BindConfiguration(TableStorageOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) =>
                options.ConnectionString = TableStorageOptions.ResolveConnectionString(configuration))
            .Validate(
                options => TableStorageOptions.TryGetTableEndpoint(options.ConnectionString, out _) || IsUsableConnectionString(options.ConnectionString),
                $"{TableStorageOptions.ConnectionSetting} (or {TableStorageOptions.FallbackConnectionSetting}) is neither a Table Storage connection string nor an http(s) table endpoint URI.")
            .Validate(
                options => IsValidTablePrefix(options.TablePrefix),
                $"{TableStorageOptions.SectionName}:TablePrefix must be empty or up to {MaxTablePrefixLength} letters and digits starting with a letter.")
            .Validate(
                options => options.OperationTimeout > TimeSpan.Zero && options.ProbeTimeout > TimeSpan.Zero,
                $"{TableStorageOptions.SectionName}:OperationTimeout and ProbeTimeout must be positive.")
            .ValidateOnStart();

        services.AddOptions<RefreshTokenOptions>()
            .BindConfiguration(RefreshTokenOptions.SectionName)
            .Validate(
                options => options.RefreshTokenLifetime >= TimeSpan.FromSeconds(1),
                $"{RefreshTokenOptions.SectionName}:RefreshTokenLifetime must be at least one second.")
            .ValidateOnStart();

        services.AddOptions<LoginThrottleOptions>()
            .BindConfiguration(LoginThrottleOptions.SectionName)
            .Validate(
                options => options.MaxFailuresPerAccount > 0 && options.MaxFailuresPerAddress > 0,
                $"{LoginThrottleOptions.SectionName}:MaxFailuresPerAccount and MaxFailuresPerAddress must be positive.")
            .Validate(
                options => options.Window > TimeSpan.Zero,
                $"{LoginThrottleOptions.SectionName}:Window must be positive.")
            .ValidateOnStart();

        // Creating the credential does no I/O; it asks for a token only on the first call against an endpoint URI.
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.AddSingleton<StorageTables>();
        services.AddSingleton<IUserStore, TableUserStore>();
        services.AddSingleton<TableRefreshTokens>();
        services.AddSingleton<IRefreshTokens>(provider => provider.GetRequiredService<TableRefreshTokens>());
        services.AddSingleton<IExpiringState>(provider => provider.GetRequiredService<TableRefreshTokens>());
        services.AddSingleton<TableLoginThrottle>();
        services.AddSingleton<ILoginThrottle>(provider => provider.GetRequiredService<TableLoginThrottle>());
        services.AddSingleton<IExpiringState>(provider => provider.GetRequiredService<TableLoginThrottle>());

        services.AddSingleton<TableEmailTokens>();
        services.AddSingleton<IEmailTokens>(provider => provider.GetRequiredService<TableEmailTokens>());
        services.AddSingleton<IExpiringState>(provider => provider.GetRequiredService<TableEmailTokens>());
        services.AddSingleton<IMailOutbox, TableMailOutbox>();

        services.AddOptions<PurgeOptions>()
            .BindConfiguration(PurgeOptions.SectionName)
            .Validate(
                options => options.Interval == TimeSpan.Zero || options.Interval >= TimeSpan.FromMinutes(1),
                $"{PurgeOptions.SectionName}:Interval must be zero (off) or at least a minute.")
            .ValidateOnStart();
        services.AddSingleton<StorageLeases>();
        services.AddSingleton<ExpiredStatePurge>();
        services.AddHostedService(provider => provider.GetRequiredService<ExpiredStatePurge>());
        return builder;
    }

    private static bool IsUsableConnectionString(string connectionString)
    {
        try
        {
            // Parsing only: the client does no I/O until its first call.
            _ = new TableServiceClient(connectionString);
            return true;
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool IsValidTablePrefix(string prefix) =>
        prefix.Length == 0
        || (prefix.Length <= MaxTablePrefixLength && char.IsAsciiLetter(prefix[0]) && prefix.All(char.IsAsciiLetterOrDigit));
}
