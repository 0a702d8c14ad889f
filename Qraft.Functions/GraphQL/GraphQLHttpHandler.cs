using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Mime;
using System.Text;
using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Types;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qraft.GraphQL.Errors;
using Qraft.GraphQL.GraphiQL;
using Qraft.GraphQL.Limits;
using Qraft.Observability;
using Qraft.Security;

namespace Qraft.GraphQL;

/// <summary>
/// The GraphQL HTTP transport, as graphene-django behaves: POST JSON or application/graphql, GET for queries only,
/// 400 for requests that never executed, 200 with <c>errors</c> and <c>data</c> for those that did, and GraphiQL for
/// browsers. Every error body is a GraphQL error with a SPEC code.
/// </summary>
public sealed partial class GraphQLHttpHandler(
    ISchema schema,
    IDocumentExecuter executer,
    IGraphQLTextSerializer serializer,
    IAccessTokens tokens,
    GraphiQLPage graphiQL,
    OperationListener operationListener,
    IOptions<GraphQLOptions> options,
    QraftMetrics metrics,
    ILogger<GraphQLHttpHandler> logger)
{
    public async Task<IActionResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (HttpMethods.IsGet(request.Method) && GraphiQLPage.WantsHtml(request))
        {
            return graphiQL.Page();
        }

        var started = Stopwatch.GetTimestamp();
        var (parsed, answer) = await ReadRequestAsync(request, cancellationToken);
        if (answer is not null)
        {
            return Respond(answer, "invalid", "unknown", started);
        }

        var context = new GraphQLRequestContext(
            HttpMethods.IsGet(request.Method), request.Headers.Authorization, ClientAddress(request), tokens);
        var result = await executer.ExecuteAsync(new ExecutionOptions
        {
            Schema = schema,
            Query = parsed!.Query,
            Variables = parsed.Variables,
            OperationName = parsed.OperationName,
            UserContext = context,
            RequestServices = request.HttpContext.RequestServices,
            CancellationToken = cancellationToken,
            Listeners = { operationListener },
        });

        if (!result.Executed)
        {
            var overGet = result.Errors?.Any(e => e is MutationOverGetError) == true;
            foreach (var error in result.Errors ?? [])
            {
                // The standard rules' codes (FIELDS_ON_CORRECT_TYPE, ...) are graphql-dotnet's, not the API's; the limits' are ours.
                if (error is not RequestLimitError)
                {
                    error.Code = "BAD_REQUEST";
                }
            }

            var status = overGet ? StatusCodes.Status405MethodNotAllowed : StatusCodes.Status400BadRequest;
            return Respond(new Answer(status, result), context.Operation, context.OperationType, started);
        }

        return Respond(new Answer(StatusCodes.Status200OK, result), context.Operation, context.OperationType, started);
    }

    private async Task<(GraphQLRequest? Request, Answer? Answer)> ReadRequestAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        GraphQLRequest parsed;
        if (HttpMethods.IsGet(request.Method))
        {
            parsed = new GraphQLRequest { Query = request.Query["query"], OperationName = request.Query["operationName"] };
            var variables = request.Query["variables"].ToString();
            if (!string.IsNullOrEmpty(variables))
            {
                if (!TryDeserialize<Inputs>(variables, out var inputs))
                {
                    return (null, Answer.BadRequest("Variables are invalid JSON."));
                }

                parsed.Variables = inputs;
            }
        }
        else if (HttpMethods.IsPost(request.Method))
        {
            if (request.ContentLength > options.Value.MaxRequestBytes)
            {
                return (null, Answer.TooLarge(options.Value.MaxRequestBytes));
            }

            var body = await ReadBodyAsync(request, cancellationToken);
            if (body is null)
            {
                return (null, Answer.TooLarge(options.Value.MaxRequestBytes));
            }

            switch (MediaType(request))
            {
                case MediaTypeNames.Application.Json:
                    if (body.TrimStart().StartsWith('['))
                    {
                        return (null, Answer.BadRequest("Batched requests are not supported; send one operation per request."));
                    }

                    if (!TryDeserialize<GraphQLRequest>(body, out var json) || json is null)
                    {
                        return (null, Answer.BadRequest("POST body sent invalid JSON."));
                    }

                    parsed = json;
                    break;
                case "application/graphql":
                    parsed = new GraphQLRequest { Query = body };
                    break;
                default:
                    return (null, new Answer(
                        StatusCodes.Status415UnsupportedMediaType,
                        ErrorResult("Unsupported content type; send application/json.")));
            }
        }
        else
        {
            return (null, new Answer(StatusCodes.Status405MethodNotAllowed, ErrorResult("GraphQL only supports GET and POST requests.")));
        }

        return string.IsNullOrWhiteSpace(parsed.Query) ? (null, Answer.BadRequest("Must provide query string.")) : (parsed, null);
    }

    /// <summary>
    /// The body as text, or <see langword="null"/> once it passes the limit (chunked bodies carry no length up front).
    /// Read from the server's own pipe buffers: a buffer per request was the largest allocation of a <c>me</c> request
    /// (8 KB of its 23), and allocation is what sets how often the replica pauses for the GC.
    /// </summary>
    private async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxRequestBytes;
        var reader = request.BodyReader;

        // Returns at the end of the body, or as soon as it is one byte over the limit, so no more is ever buffered.
        var read = await reader.ReadAtLeastAsync(limit + 1, cancellationToken);
        try
        {
            // Invalid UTF-8 becomes U+FFFD here and then fails JSON or GraphQL parsing with a 400, never a 500.
            return read.Buffer.Length > limit ? null : Encoding.UTF8.GetString(read.Buffer);
        }
        finally
        {
            reader.AdvanceTo(read.Buffer.End);
        }
    }

    private bool TryDeserialize<T>(string text, out T? value)
    {
        try
        {
            value = serializer.Deserialize<T>(text);
            return true;
        }
        catch (Exception exception) when (exception is JsonException or FormatException or InvalidOperationException or NotSupportedException)
        {
            value = default;
            return false;
        }
    }

    private static string? MediaType(HttpRequest request) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            ? mediaType.MediaType.Value?.ToLowerInvariant()
            : null;

    /// <summary>
    /// The caller as HAProxy (or Azure's front end) saw it: the last X-Forwarded-For hop, which the edge sets after
    /// deleting whatever the client sent; the socket peer when nothing forwarded the request.
    /// </summary>
    private static string? ClientAddress(HttpRequest request)
    {
        var forwarded = request.Headers["X-Forwarded-For"].ToString();
        if (!string.IsNullOrWhiteSpace(forwarded))
        {
            // Azure's front end may append ":port"; an address, not a connection, is what throttling counts.
            var hop = forwarded.Split(',')[^1].Trim();
            return IPEndPoint.TryParse(hop, out var endpoint) ? endpoint.Address.ToString() : hop[..Math.Min(hop.Length, 64)];
        }

        return request.HttpContext.Connection.RemoteIpAddress?.ToString();
    }

    private GraphQLResponse Respond(Answer outcome, string operation, string operationType, long started)
    {
        LimitErrors(outcome.Result);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var code = outcome.Result.Errors is { Count: > 0 } errors ? errors[0].Code ?? "INTERNAL" : "ok";
        metrics.GraphQLRequests.WithLabels(operation, code).Inc();
        metrics.GraphQLDuration.WithLabels(operation, code).Observe(elapsed.TotalSeconds);
        LogOperation(logger, operationType, operation, code, outcome.Status, elapsed.TotalMilliseconds);
        return new GraphQLResponse(outcome.Result, outcome.Status, serializer);
    }

    /// <summary>
    /// Keeps the first <see cref="GraphQLOptions.MaxErrors"/> errors and says how many more there were: clients act on
    /// the first, and an answer many times the size of its request is a bandwidth amplifier.
    /// </summary>
    private void LimitErrors(ExecutionResult result)
    {
        var max = options.Value.MaxErrors;
        if (result.Errors is not { } errors || errors.Count <= max)
        {
            return;
        }

        var kept = new ExecutionErrors();
        foreach (var error in errors.Take(max))
        {
            kept.Add(error);
        }

        kept.Add(new BadRequestError(string.Create(CultureInfo.InvariantCulture, $"{errors.Count - max} more errors are not listed.")));
        result.Errors = kept;
    }

    private static ExecutionResult ErrorResult(string message) => new() { Errors = [new BadRequestError(message)] };

    /// <summary>
    /// The one line per operation that operators search by: instance and requestId come from the logger's enrichment and
    /// the request's scope. The event name is fixed so tools can select these lines without parsing the message.
    /// </summary>
    [LoggerMessage(
        EventName = "GraphQLOperation",
        Level = LogLevel.Information,
        Message = "GraphQL {OperationType} {Operation} {Outcome} {Status} in {ElapsedMs:0.0} ms")]
    private static partial void LogOperation(ILogger logger, string operationType, string operation, string outcome, int status, double elapsedMs);

    private sealed record Answer(int Status, ExecutionResult Result)
    {
        public static Answer BadRequest(string message) => new(StatusCodes.Status400BadRequest, ErrorResult(message));

        public static Answer TooLarge(int limit) =>
            new(StatusCodes.Status413RequestEntityTooLarge, new ExecutionResult
            {
                Errors = [new BadRequestError($"Request body is larger than {limit} bytes.")],
            });
    }
}

/// <summary>Writes an execution result as <c>application/json</c>, as graphene-django answered its clients.</summary>
internal sealed class GraphQLResponse(ExecutionResult result, int status, IGraphQLTextSerializer serializer) : IActionResult
{
    public int Status => status;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";

        // The same URL answers browsers with GraphiQL, so caches must key on Accept.
        response.Headers.Vary = "Accept";
        response.Headers.XContentTypeOptions = "nosniff";
        if (status == StatusCodes.Status405MethodNotAllowed)
        {
            // RFC 9110 §15.5.6: a 405 names the methods the resource does support.
            response.Headers.Allow = "GET, POST";
        }

        // Whole, with its length: bodies are small (a page of users is the largest, well under a megabyte), and a
        // length instead of chunked framing is less work for Kestrel and for HAProxy on every response.
        var json = serializer.Serialize(result);
        response.ContentLength = Encoding.UTF8.GetByteCount(json);
        await response.WriteAsync(json, Encoding.UTF8, context.HttpContext.RequestAborted);
    }
}
