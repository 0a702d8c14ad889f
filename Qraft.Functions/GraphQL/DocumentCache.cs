using GraphQL;
using GraphQL.DI;
using GraphQLParser.AST;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Qraft.Observability;

namespace Qraft.GraphQL;

/// <summary>
/// Parsed and validated documents by query text. Clients send a handful of fixed operations with variables, so most
/// requests repeat a document: parsing it and running the ~30 validation rules again was a fifth of a <c>me</c>
/// request's CPU (bench/FINDINGS.md). A hit runs only the rules registered for cached documents (here the GET-only
/// rule, the one that depends on the request); variables are still coerced per request. Only documents that passed
/// validation are kept, so the limits they were checked against still hold.
/// </summary>
/// <remarks>
/// Bounded twice, so that traffic made of distinct documents cannot grow it: by entries (least recently used go
/// first), and by query length, since a long document is rarely a client's fixed operation.
/// </remarks>
internal sealed class DocumentCache : IConfigureExecution, IDisposable
{
    internal const int MaxCachedQueryLength = 8192;

    private readonly MemoryCache? _documents;
    private readonly QraftMetrics _metrics;

    public DocumentCache(IOptions<GraphQLOptions> options, QraftMetrics metrics)
    {
        var entries = options.Value.DocumentCacheEntries;
        _documents = entries > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = entries }) : null;
        _metrics = metrics;
    }

    /// <summary>Among the execution configurations (200), after the option ones (100) that register the validation rules.</summary>
    public float SortOrder => 200;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        if (_documents is null || options.Document is not null || options.Query is not { Length: <= MaxCachedQueryLength } query)
        {
            return await next(options);
        }

        if (_documents.TryGetValue(query, out GraphQLDocument? cached))
        {
            _metrics.DocumentCache.WithLabels("hit").Inc();
            options.Document = cached;

            // Handing graphql-dotnet a document does not by itself skip validation: the rule set must be swapped too.
            options.ValidationRules = options.CachedDocumentValidationRules ?? [];
            return await next(options);
        }

        _metrics.DocumentCache.WithLabels("miss").Inc();
        var result = await next(options);

        // Executed: the document parsed and validated (bad variables alone also stop it, and it is cached next time).
        if (result is { Executed: true, Document: { } document })
        {
            _documents.Set(query, document, new MemoryCacheEntryOptions { Size = 1 });
        }

        return result;
    }

    public void Dispose() => _documents?.Dispose();
}
