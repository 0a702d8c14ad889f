using Microsoft.Extensions.Configuration;

namespace Qraft.Users;

/// <summary>
/// Where the tables live and how long a storage call may take. The connection string comes from the top-level
/// settings <c>TableStorage</c>, then <c>AzureWebJobsStorage</c>, as the Functions host names them; the rest binds
/// from <see cref="SectionName"/>.
/// </summary>
public sealed class TableStorageOptions
{
    public const string SectionName = "Qraft:Storage";

    public const string ConnectionSetting = "TableStorage";

    public const string FallbackConnectionSetting = "AzureWebJobsStorage";

    /// <summary>Azurite on 127.0.0.1:10002.</summary>
    public const string DevelopmentConnectionString = "UseDevelopmentStorage=true";

    public string ConnectionString { get; set; } = DevelopmentConnectionString;

    /// <summary>Prepended to every table name so several deployments or test runs can share one account.</summary>
    public string TablePrefix { get; set; } = "";

    /// <summary>Upper bound for one store operation, retries included; past it the caller gets <see cref="StorageUnavailableException"/>.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound for the readiness probe, shorter than a load balancer's check timeout.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    internal static string ResolveConnectionString(IConfiguration configuration) =>
        NonBlank(configuration[ConnectionSetting])
        ?? NonBlank(configuration[FallbackConnectionSetting])
        ?? DevelopmentConnectionString;

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
