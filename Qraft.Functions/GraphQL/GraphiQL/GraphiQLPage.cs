using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Qraft.GraphQL.GraphiQL;

/// <summary>
/// Serves GraphiQL at <c>/graphql/</c> and its assets at <c>/graphql/static/</c>, all from
/// embedded resources so the page works offline and loads nothing from another origin.
/// </summary>
public sealed partial class GraphiQLPage
{
    public const string StaticPathPrefix = "/graphql/static/";

    private const string ResourcePrefix = "Qraft.GraphiQL.";
    private const string StaticResourcePrefix = ResourcePrefix + "static.";
    private const string TemplateResource = ResourcePrefix + "index.html";

    // GraphiQL's components inject inline styles at run time (Chromium reports them as
    // violations under style-src 'self'); scripts stay restricted to same-origin files.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; " +
        "img-src 'self' data:; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private readonly FrozenDictionary<string, EmbeddedAsset> _assets;
    private readonly ReadOnlyMemory<byte> _html;

    public GraphiQLPage()
    {
        var assembly = typeof(GraphiQLPage).Assembly;
        var assets = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(StaticResourcePrefix, StringComparison.Ordinal))
            .Select(name => EmbeddedAsset.Load(assembly, name, name[StaticResourcePrefix.Length..]))
            .ToList();
        _assets = assets.ToFrozenDictionary(asset => asset.PublicName, StringComparer.Ordinal);

        var byOriginalName = assets.ToDictionary(asset => asset.OriginalName, StringComparer.Ordinal);
        var template = Encoding.UTF8.GetString(ReadResource(assembly, TemplateResource));
        var html = StaticReference().Replace(template, match =>
            byOriginalName.TryGetValue(match.Groups["name"].Value, out var asset)
                ? StaticPathPrefix + asset.PublicName
                : throw new InvalidOperationException($"GraphiQL template references unknown asset '{match.Groups["name"].Value}'."));
        _html = Encoding.UTF8.GetBytes(html);
    }

    /// <summary>
    /// graphene-django's rule for showing GraphiQL instead of answering with JSON: GET or POST,
    /// no <c>raw</c> query parameter, and <c>Accept</c> ranks text/html above application/json.
    /// </summary>
    public static bool WantsHtml(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsPost(request.Method)) || request.Query.ContainsKey("raw"))
        {
            return false;
        }

        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted))
        {
            return false;
        }

        // Ties keep header order, as in graphene-django; OrderByDescending is stable. Unlike
        // graphene-django, q=0 counts as "not acceptable", as HTTP defines it.
        var ranked = accepted
            .Where(type => type.Quality is not 0)
            .OrderByDescending(type => type.Quality ?? 1)
            .Select(type => type.MediaType.Value)
            .ToList();
        var html = ranked.FindIndex(type => string.Equals(type, "text/html", StringComparison.OrdinalIgnoreCase));
        var json = ranked.FindIndex(type => string.Equals(type, "application/json", StringComparison.OrdinalIgnoreCase));
        return html >= 0 && (json < 0 || html < json);
    }

    public IActionResult Page() => new BytesResult(StatusCodes.Status200OK, "text/html; charset=utf-8", _html,
    [
        new("Content-Security-Policy", ContentSecurityPolicy),
        new("Referrer-Policy", "no-referrer"),
        // The same URL answers JSON to API clients, so caches must key on Accept,
        // and the page must not outlive the asset names it references.
        new("Vary", "Accept"),
        new("Cache-Control", "no-store"),
    ]);

    public IActionResult Asset(string file) =>
        file is not null && _assets.TryGetValue(file, out var asset)
            ? new BytesResult(StatusCodes.Status200OK, asset.ContentType, asset.Content,
                [new("Cache-Control", "public, max-age=31536000, immutable"), new("ETag", asset.ETag)],
                asset.ETag)
            : new BytesResult(StatusCodes.Status404NotFound, "text/plain; charset=utf-8", "Not Found"u8.ToArray(), []);

    private static byte[] ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource '{name}' is missing from {assembly.GetName().Name}.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    [GeneratedRegex(@"\{\{static:(?<name>[A-Za-z0-9._-]+)\}\}")]
    private static partial Regex StaticReference();

    private sealed record EmbeddedAsset(string OriginalName, string PublicName, string ContentType, string ETag, ReadOnlyMemory<byte> Content)
    {
        public static EmbeddedAsset Load(Assembly assembly, string resourceName, string originalName)
        {
            var content = ReadResource(assembly, resourceName);
            var hash = Convert.ToHexStringLower(SHA256.HashData(content));
            var extension = Path.GetExtension(originalName);
            var contentType = extension switch
            {
                ".js" => "text/javascript; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                ".map" => "application/json; charset=utf-8",
                _ => throw new InvalidOperationException($"No content type known for GraphiQL asset '{originalName}'."),
            };
            // The hash in the name lets browsers cache each file forever: a new build
            // changes the name, so a stale copy is never used.
            var publicName = $"{Path.GetFileNameWithoutExtension(originalName)}.{hash[..16]}{extension}";
            return new EmbeddedAsset(originalName, publicName, contentType, $"\"{hash}\"", content);
        }
    }

    /// <summary>
    /// Writes the response itself rather than through MVC's result executors, so it runs the same
    /// under the Functions host, the self-hosted Kestrel path and a bare test HttpContext.
    /// </summary>
    private sealed class BytesResult(
        int statusCode,
        string contentType,
        ReadOnlyMemory<byte> body,
        KeyValuePair<string, string>[] headers,
        string? etag = null) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            var request = context.HttpContext.Request;
            var response = context.HttpContext.Response;
            foreach (var (name, value) in headers)
            {
                response.Headers[name] = value;
            }

            response.Headers.XContentTypeOptions = "nosniff";
            if (etag is not null && IsCurrent(request, etag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }

            response.StatusCode = statusCode;
            response.ContentType = contentType;
            response.ContentLength = body.Length;
            if (!HttpMethods.IsHead(request.Method))
            {
                await response.Body.WriteAsync(body, context.HttpContext.RequestAborted);
            }
        }

        private static bool IsCurrent(HttpRequest request, string etag) =>
            EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch, out var tags)
            && tags.Any(tag => tag.Tag.Equals("*", StringComparison.Ordinal) || tag.Tag.Equals(etag, StringComparison.Ordinal));
    }
}
