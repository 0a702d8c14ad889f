using GraphQL;
using Qraft.Security;

namespace Qraft.GraphQL;

/// <summary>What resolvers know about the HTTP request: the caller's token (read once, lazily) and address.</summary>
public sealed class GraphQLRequestContext : Dictionary<string, object?>
{
    private readonly Lazy<TokenReadResult?> _token;

    public GraphQLRequestContext(bool isGet, string? authorizationHeader, string? clientAddress, IAccessTokens tokens)
    {
        IsGet = isGet;
        ClientAddress = clientAddress;
        var raw = ParseAuthorization(authorizationHeader);
        _token = new Lazy<TokenReadResult?>(() => raw is null ? null : tokens.Read(raw), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public bool IsGet { get; }

    public string? ClientAddress { get; }

    /// <summary>The header token's verdict, or <see langword="null"/> when the request carries none.</summary>
    public TokenReadResult? HeaderToken => _token.Value;

    /// <summary>Root fields of the executed operation, for metrics and the per-operation log line.</summary>
    public string Operation { get; set; } = "invalid";

    /// <summary><c>query</c> or <c>mutation</c> once an operation executes; <c>unknown</c> for requests that never did.</summary>
    public string OperationType { get; set; } = "unknown";

    /// <summary>
    /// <c>JWT &lt;token&gt;</c> as django-graphql-jwt reads it (prefix case-insensitive, exactly two parts), and
    /// <c>Bearer &lt;token&gt;</c> for clients that only know that scheme.
    /// </summary>
    public static string? ParseAuthorization(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        var parts = header.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2
            && (parts[0].Equals("JWT", StringComparison.OrdinalIgnoreCase) || parts[0].Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            ? parts[1]
            : null;
    }
}

internal static class ResolveFieldContextExtensions
{
    public static GraphQLRequestContext Request(this IResolveFieldContext context) => (GraphQLRequestContext)context.UserContext;
}
