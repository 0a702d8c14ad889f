using System.Text.Encodings.Web;
using GraphQL;
using GraphQL.DI;
using GraphQL.Execution;
using GraphQL.Validation.Complexity;
using GraphQLParser.Exceptions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qraft.GraphQL.Errors;
using Qraft.GraphQL.GraphiQL;
using Qraft.GraphQL.Limits;
using Qraft.Storage;

namespace Qraft.GraphQL;

public static partial class GraphQLServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddQraftGraphQL(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GraphQLOptions>()
            .BindConfiguration("Qraft:GraphQL")
            .Validate(o => o is { MaxRequestBytes: > 0, MaxDepth: > 0, MaxComplexity: > 0, MaxRootFields: > 0, MaxSelections: > 0, MaxFragments: > 0, MaxDirectives: > 0, MaxArguments: > 0, MaxErrors: > 0 }, "Qraft:GraphQL limits must be positive.")
            .Validate(o => o.DocumentCacheEntries >= 0, "Qraft:GraphQL:DocumentCacheEntries must be 0 (off) or more.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IConfigureExecution, DocumentCache>();
        builder.Services.AddSingleton<AuthResolvers>();
        builder.Services.AddSingleton<OperationListener>();
        builder.Services.AddSingleton<GraphQLHttpHandler>();
        builder.Services.AddQraftGraphiQL();
        builder.Services.AddGraphQL(graphQL => graphQL
            .AddSchema<QraftSchema>()
            .AddGraphTypes(typeof(QraftSchema).Assembly)

            // Text goes out as graphene wrote it: Korean as UTF-8, and "+" in dateJoined's "+00:00" or an email left
            // as is (the default encoder writes \u002B). Safe because these bodies are only ever served as
            // application/json with nosniff, never as HTML.
            .AddSystemTextJson(json => json.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping)

            // Only extensions.code: no "codes" list, no exception data or details for clients.
            .AddErrorInfoProvider(errors =>
            {
                errors.ExposeCode = true;
                errors.ExposeCodes = false;
                errors.ExposeData = false;
                errors.ExposeExceptionDetails = false;
            })
            // The limits, in the order they are checked: each stops a document before anything costlier looks at it.
            .AddValidationRule<MaxFragmentsRule>()
            .AddValidationRule<MaxDirectivesRule>()
            .AddValidationRule<MaxArgumentsRule>()
            .AddValidationRule<MaxSelectionsRule>()
            .AddValidationRule<MaxRootFieldsRule>()
            .AddValidationRule<QueriesOnlyOverGetRule>(useForCachedDocuments: true)
            .AddComplexityAnalyzer((complexity, services) =>
            {
                var limits = services.GetRequiredService<IOptions<GraphQLOptions>>().Value;
                complexity.MaxDepth = limits.MaxDepth;
                complexity.MaxComplexity = limits.MaxComplexity;
                var standard = complexity.DefaultComplexityImpactDelegate;
                complexity.DefaultComplexityImpactDelegate = field => IsIntrospection(field) ? IntrospectionField : standard(field);
            })
            .AddUnhandledExceptionHandler(MapUnhandled));
        return builder;
    }

    /// <summary>
    /// The default list multiplier would price GraphiQL's own introspection query in the hundreds of thousands. Its
    /// fields are cheap metadata: each weighs a fifth of a field with no list multiplier, which lets the full query
    /// (about 3,200 field selections) through, while depth and the root-field limit bound abuse.
    /// </summary>
    internal const string NestedTooDeeply = "The query is nested too deeply to parse.";

    private static readonly FieldComplexityResult IntrospectionField = new(0.2, 1);

    private static bool IsIntrospection(FieldImpactContext field) =>
        field.FieldDefinition.Name.StartsWith("__", StringComparison.Ordinal) || field.ParentType.Name.StartsWith("__", StringComparison.Ordinal);

    /// <summary>
    /// Storage outages become STORAGE_UNAVAILABLE; a document nested beyond the parser's depth limit is the client's
    /// error (and is not logged: the exception quotes the query, which may hold a password); anything else is logged
    /// whole and shown as INTERNAL.
    /// </summary>
    private static void MapUnhandled(UnhandledExceptionContext context)
    {
        var options = context.ExecutionOptions;
        if (context.OriginalException is StorageUnavailableException)
        {
            context.Exception = new StorageUnavailableError();
            return;
        }

        if (context.OriginalException is GraphQLMaxDepthExceededException)
        {
            context.Exception = new BadRequestError(NestedTooDeeply);
            return;
        }

        if (context.OriginalException is OperationCanceledException && options.CancellationToken.IsCancellationRequested)
        {
            return;
        }

        var logger = options.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger(typeof(GraphQLHttpHandler));
        if (logger is not null)
        {
            LogUnhandled(logger, context.OriginalException, context.FieldContext?.FieldDefinition.Name);
        }

        context.Exception = new InternalError();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception resolving {Field}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string? field);
}
