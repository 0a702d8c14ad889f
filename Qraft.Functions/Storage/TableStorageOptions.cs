using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;

namespace Qraft.Storage;

/// <summary>
/// Where the tables live and how long a storage call may take. The connection string comes from the top-level
/// settings <c>TableStorage</c>, then <c>AzureWebJobsStorage</c>, as the Functions host names them; the rest binds
/// from <see cref="SectionName"/>. The setting may instead be the account's table endpoint URI, which means "sign in
/// with a token credential" (a managed identity in Azure), so no account key needs to exist.
/// </summary>
public sealed class TableStorageOptions
{
    public const string SectionName = "Qraft:Storage";

    public const string ConnectionSetting = "TableStorage";

    public const string FallbackConnectionSetting = "AzureWebJobsStorage";

    /// <summary>Azurite on 127.0.0.1:10002.</summary>
    public const string DevelopmentConnectionString = "UseDevelopmentStorage=true";

    /// <summary>A connection string, or a table endpoint URI (see <see cref="TryGetTableEndpoint"/>).</summary>
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

    /// <summary>
    /// The one rule that tells the two forms apart: an absolute http(s) URI is an endpoint, anything else a connection
    /// string. No connection string parses as such a URI, since they are <c>key=value;</c> lists.
    /// </summary>
    internal static bool TryGetTableEndpoint(string setting, [NotNullWhen(true)] out Uri? endpoint)
    {
        if (Uri.TryCreate(setting, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            endpoint = uri;
            return true;
        }

        endpoint = null;
        return false;
    }

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
