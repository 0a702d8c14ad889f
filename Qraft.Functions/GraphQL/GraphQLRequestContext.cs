using System.Buffers;
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

        // Split on white space into exactly two parts, read in place: this runs on every authenticated request.
        var text = header.AsSpan().Trim();
        var gap = text.IndexOfAny(WhiteSpace);
        if (gap < 0)
        {
            return null;
        }

        var scheme = text[..gap];
        var token = text[gap..].TrimStart();
        return !token.ContainsAny(WhiteSpace)
            && (scheme.Equals("JWT", StringComparison.OrdinalIgnoreCase) || scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            ? token.ToString()
            : null;
    }

    /// <summary>What <see cref="string.Split(char[])"/> with no separators splits on: every Unicode white-space character.</summary>
    private static readonly SearchValues<char> WhiteSpace = SearchValues.Create(
        Enumerable.Range(0, char.MaxValue + 1).Select(c => (char)c).Where(char.IsWhiteSpace).ToArray());
}

internal static class ResolveFieldContextExtensions
{
    public static GraphQLRequestContext Request(this IResolveFieldContext context) => (GraphQLRequestContext)context.UserContext;
}
