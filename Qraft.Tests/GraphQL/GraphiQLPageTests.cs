using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Qraft.GraphQL.GraphiQL;

namespace Qraft.Tests.GraphQL;

public sealed partial class GraphiQLPageTests
{
    private const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

    private readonly GraphiQLPage _page = new();

    [Theory]
    [InlineData("GET", BrowserAccept, "", true)]
    [InlineData("POST", BrowserAccept, "", true)]
    [InlineData("GET", "text/html", "", true)]
    [InlineData("GET", "TEXT/HTML; charset=utf-8", "", true)]
    [InlineData("GET", "*/*", "", false)] // curl
    [InlineData("GET", null, "", false)]
    [InlineData("GET", "", "", false)]
    [InlineData("GET", "application/json", "", false)]
    [InlineData("POST", "application/json, multipart/mixed", "", false)] // GraphiQL's own fetcher
    [InlineData("GET", "application/json, text/html", "", false)] // equal quality: header order decides
    [InlineData("GET", "text/html, application/json", "", true)]
    [InlineData("GET", "application/json;q=0.5, text/html", "", true)]
    [InlineData("GET", "text/html;q=0.5, application/json", "", false)]
    [InlineData("GET", "text/html;q=0.9, application/json;q=0.8", "", true)]
    [InlineData("GET", "text/html;q=0, */*", "", false)]
    [InlineData("GET", "not a media type", "", false)]
    [InlineData("GET", BrowserAccept, "?raw", false)]
    [InlineData("GET", BrowserAccept, "?raw=1&query={me{email}}", false)]
    [InlineData("GET", BrowserAccept, "?query={me{email}}", true)]
    [InlineData("PUT", BrowserAccept, "", false)]
    [InlineData("HEAD", BrowserAccept, "", false)]
    [InlineData("DELETE", BrowserAccept, "", false)]
    public void WantsHtml_follows_graphene_django(string method, string? accept, string query, bool expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.QueryString = new QueryString(query);
        if (accept is not null)
        {
            context.Request.Headers.Accept = accept;
        }

        Assert.Equal(expected, GraphiQLPage.WantsHtml(context.Request));
    }

    [Fact]
    public async Task Page_is_html_with_strict_security_headers()
    {
        var response = await ExecuteAsync(_page.Page());

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.ContentType);
        Assert.Equal("nosniff", response.Headers["X-Content-Type-Options"]);
        Assert.Equal("no-referrer", response.Headers["Referrer-Policy"]);
        Assert.Equal("Accept", response.Headers["Vary"]);

        var csp = Directives(response.Headers["Content-Security-Policy"].ToString());
        Assert.Equal("'none'", csp["default-src"]);
        Assert.Equal("'self'", csp["script-src"]);
        Assert.Equal("'self'", csp["connect-src"]);
        Assert.StartsWith("'self'", csp["style-src"], StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", response.Headers["Content-Security-Policy"].ToString(), StringComparison.Ordinal);

        Assert.StartsWith("<!doctype html>", response.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("{{", response.Body, StringComparison.Ordinal);
        Assert.Contains("data-endpoint=\"/graphql/\"", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_has_no_inline_script_and_no_foreign_origin()
    {
        var body = (await ExecuteAsync(_page.Page())).Body;

        Assert.All(ScriptTag().Matches(body), tag => Assert.Contains(" src=", tag.Value, StringComparison.Ordinal));
        Assert.DoesNotContain("<style", body, StringComparison.OrdinalIgnoreCase);
        // The only other reference is the empty inline favicon, which spares a /favicon.ico request.
        Assert.All(
            References(body).Where(reference => reference != "data:,"),
            reference => Assert.StartsWith(GraphiQLPage.StaticPathPrefix, reference, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_asset_the_page_references_is_served()
    {
        var references = StaticReferences((await ExecuteAsync(_page.Page())).Body);
        Assert.Equal(6, references.Count); // graphiql css + js, react, react-dom, Qraft's css + js

        foreach (var reference in references)
        {
            var file = reference[GraphiQLPage.StaticPathPrefix.Length..];
            var response = await ExecuteAsync(_page.Asset(file));

            Assert.Equal(200, response.StatusCode);
            Assert.Equal(
                file.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8",
                response.ContentType);
            Assert.Equal("public, max-age=31536000, immutable", response.Headers["Cache-Control"]);
            Assert.Equal("nosniff", response.Headers["X-Content-Type-Options"]);
            Assert.Matches("^\"[0-9a-f]{64}\"$", response.Headers["ETag"].ToString());
            Assert.Contains(response.Headers["ETag"].ToString()[1..17], file, StringComparison.Ordinal);
            Assert.True(response.Body.Length > 0);
        }
    }

    [Fact]
    public async Task Bootstrap_script_posts_to_the_endpoint_with_examples_and_headers_editor()
    {
        var references = StaticReferences((await ExecuteAsync(_page.Page())).Body);
        var bootstrap = references.Single(reference => reference.Contains("/qraft-graphiql.", StringComparison.Ordinal) && reference.EndsWith(".js", StringComparison.Ordinal));
        var script = (await ExecuteAsync(_page.Asset(bootstrap[GraphiQLPage.StaticPathPrefix.Length..]))).Body;

        Assert.Contains("createFetcher", script, StringComparison.Ordinal);
        Assert.Contains("createUser(", script, StringComparison.Ordinal);
        Assert.Contains("login(", script, StringComparison.Ordinal);
        Assert.Contains("Authorization", script, StringComparison.Ordinal);
        Assert.Contains("isHeadersEditorEnabled: true", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Matching_if_none_match_gets_304_without_body()
    {
        var file = StaticReferences((await ExecuteAsync(_page.Page())).Body)[0][GraphiQLPage.StaticPathPrefix.Length..];
        var etag = (await ExecuteAsync(_page.Asset(file))).Headers["ETag"].ToString();

        var response = await ExecuteAsync(_page.Asset(file), request => request.Headers.IfNoneMatch = $"W/{etag}");

        Assert.Equal(304, response.StatusCode);
        Assert.Empty(response.Body);
    }

    [Theory]
    [InlineData("unknown.js")]
    [InlineData("graphiql.min.js")] // the unhashed name is not served: only the immutable, hashed one is
    [InlineData("index.html")]
    [InlineData("")]
    [InlineData("../appsettings.json")]
    [InlineData("..\\Qraft.Functions.dll")]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/etc/passwd")]
    [InlineData("static/../../host.json")]
    [InlineData("LICENSE.graphiql")]
    [InlineData("README.md")]
    public async Task Unknown_or_traversal_names_are_plain_404(string file)
    {
        var response = await ExecuteAsync(_page.Asset(file));

        Assert.Equal(404, response.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", response.ContentType);
        Assert.Equal("Not Found", response.Body);
    }

    [Fact]
    public async Task Asset_names_are_case_sensitive()
    {
        var file = StaticReferences((await ExecuteAsync(_page.Page())).Body)[0][GraphiQLPage.StaticPathPrefix.Length..];

        Assert.Equal(404, (await ExecuteAsync(_page.Asset(file.ToUpperInvariant()))).StatusCode);
    }

    [Fact]
    public void Registration_is_a_singleton()
    {
        using var provider = new ServiceCollection().AddQraftGraphiQL().BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<GraphiQLPage>(), provider.GetRequiredService<GraphiQLPage>());
    }

    private static List<string> References(string html) =>
        [.. SourceAttribute().Matches(html).Select(match => match.Groups["url"].Value)];

    private static List<string> StaticReferences(string html) =>
        [.. References(html).Where(reference => reference.StartsWith(GraphiQLPage.StaticPathPrefix, StringComparison.Ordinal))];

    private static Dictionary<string, string> Directives(string policy) =>
        policy.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(directive => directive.Split(' ', 2))
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);

    private static async Task<ExecutedResponse> ExecuteAsync(IActionResult result, Action<HttpRequest>? configure = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        configure?.Invoke(context.Request);
        using var body = new MemoryStream();
        context.Response.Body = body;

        await result.ExecuteResultAsync(new ActionContext { HttpContext = context });

        return new ExecutedResponse(
            context.Response.StatusCode,
            context.Response.ContentType,
            context.Response.Headers,
            Encoding.UTF8.GetString(body.ToArray()));
    }

    private sealed record ExecutedResponse(int StatusCode, string? ContentType, IHeaderDictionary Headers, string Body);

    [GeneratedRegex("(?:src|href)=\"(?<url>[^\"]*)\"")]
    private static partial Regex SourceAttribute();

    [GeneratedRegex("<script[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();
}
