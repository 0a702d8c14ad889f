using System.Net;
using System.Text;
using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.GraphQL;

/// <summary>SPEC §3 HTTP rules: status codes and bodies for everything that is not a well-formed operation.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class HttpTransportTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private QraftTestApp _app = null!;

    public async Task InitializeAsync() => _app = await QraftTestApp.StartAsync(QraftTestApp.SharedSettings(azurite.ConnectionString));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("{bad json", "application/json", HttpStatusCode.BadRequest, "POST body sent invalid JSON.")]
    [InlineData("{}", "application/json", HttpStatusCode.BadRequest, "Must provide query string.")]
    [InlineData("""{"query":""}""", "application/json", HttpStatusCode.BadRequest, "Must provide query string.")]
    [InlineData("""[{"query":"{__typename}"}]""", "application/json", HttpStatusCode.BadRequest, "Batched requests are not supported; send one operation per request.")]
    [InlineData("""{"query":"{ me { email "}""", "application/json", HttpStatusCode.BadRequest, null)]
    [InlineData("""{"query":"{ nope }"}""", "application/json", HttpStatusCode.BadRequest, null)]
    [InlineData("""{"query":"mutation { login(email: \"a@b.co\") { token } }"}""", "application/json", HttpStatusCode.BadRequest, null)]
    [InlineData("""{"query":"{ __typename }"}""", "text/plain", HttpStatusCode.UnsupportedMediaType, "Unsupported content type; send application/json.")]
    public async Task MalformedRequestsGetA4xxWithAGraphQLErrorBody(string body, string contentType, HttpStatusCode status, string? message)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql/") { Content = new StringContent(body, Encoding.UTF8, contentType) };

        var response = await _app.Client.SendAsync(request);

        Assert.Equal(status, response.Status);
        Assert.Equal("BAD_REQUEST", response.FirstErrorCode);
        Assert.Null(response.Json!["data"]);
        if (message is not null)
        {
            Assert.Equal(message, response.FirstErrorMessage);
        }
    }

    [Fact]
    public async Task ApplicationGraphqlBodyIsTheQuery()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql/") { Content = new StringContent("{ __typename }", Encoding.UTF8, "application/graphql") };

        var response = await _app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("""{"data":{"__typename":"Query"}}""", response.Body);
    }

    [Fact]
    public async Task GetServesQueries()
    {
        var response = await _app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/graphql/?query=%7B__typename%7D"));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("""{"data":{"__typename":"Query"}}""", response.Body);
    }

    [Fact]
    public async Task MutationOverGetIs405()
    {
        var query = Uri.EscapeDataString("""mutation { verifyToken(token: "x") { payload } }""");

        var response = await _app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/graphql/?query={query}"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.Status);
        Assert.Equal("Can only perform a mutation operation from a POST request.", response.FirstErrorMessage);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task OtherMethodsGet405WithAnErrorBodyAndAllow(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "/graphql/")
        {
            Content = new StringContent("""{"query":"{ __typename }"}""", Encoding.UTF8, "application/json"),
        };

        using var response = await _app.Client.Http.SendAsync(request);
        var answer = new GqlResponse(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers, response.Content.Headers.ContentType);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, answer.Status);
        Assert.Equal("BAD_REQUEST", answer.FirstErrorCode);
        Assert.Equal("GraphQL only supports GET and POST requests.", answer.FirstErrorMessage);
        Assert.Equal(["GET", "POST"], response.Content.Headers.Allow.Order());
    }

    [Fact]
    public async Task MutationOverGetNamesTheAllowedMethods()
    {
        var query = Uri.EscapeDataString("""mutation { verifyToken(token: "x") { payload } }""");

        using var response = await _app.Client.Http.GetAsync($"/graphql/?query={query}");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task BodiesOverTheLimitGet413()
    {
        var padding = new string(' ', 70 * 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql/")
        {
            Content = new StringContent($$"""{"query":"{ __typename }{{padding}}"}""", Encoding.UTF8, "application/json"),
        };

        var response = await _app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);
        Assert.Equal("BAD_REQUEST", response.FirstErrorCode);
    }

    [Fact]
    public async Task DeepQueriesAreRefused()
    {
        var deep = "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } } } }";

        var response = await _app.Client.PostAsync(deep);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("BAD_REQUEST", response.FirstErrorCode);
    }

    [Fact]
    public async Task AliasingManyLoginsIntoOneRequestIsRefusedBeforeAnyHash()
    {
        var aliases = string.Join(' ', Enumerable.Range(0, 50).Select(i => $$"""a{{i}}: login(email: "a@b.co", password: "x") { token }"""));

        var response = await _app.Client.PostAsync($"mutation {{ {aliases} }}");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("TOO_MANY_ROOT_FIELDS", response.FirstErrorCode);
    }

    [Fact]
    public async Task FragmentsThatDoubleAtEveryLevelAreRefusedBeforeTheirExpansionIsWalked()
    {
        // ...F0 expands to 2^30 selections: validating that expansion held a replica's CPU for minutes (issue 6).
        var fragments = string.Join(' ', Enumerable.Range(0, 30).Select(i => $"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}"));
        var bomb = $"{{ ...F0 }} {fragments} fragment F30 on Query {{ __typename }}";

        var response = await _app.Client.PostAsync(bomb);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("TOO_MANY_SELECTIONS", response.FirstErrorCode);
        Assert.Equal("An operation may select at most 2000 fields with its fragments expanded; this one selects more.", response.FirstErrorMessage);
    }

    [Fact]
    public async Task DocumentsWithMoreThanFiftyFragmentsAreRefusedBeforeTheStandardRulesCompareThem()
    {
        // A chain of 1,500 one-field fragments took 7 s of a replica's CPU to validate (issue 6).
        var chain = string.Join(' ', Enumerable.Range(0, 1500).Select(i => $"fragment F{i} on Query {{ ...F{i + 1} }}"));

        var response = await _app.Client.PostAsync($"{{ ...F0 }} {chain} fragment F1500 on Query {{ __typename }}");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("TOO_MANY_FRAGMENTS", response.FirstErrorCode);
        Assert.Equal("A document may define at most 50 fragments; this one defines 1501.", response.FirstErrorMessage);
    }

    [Theory]
    [InlineData(51, "A document may use at most 50 directives; this one uses more.")]
    [InlineData(3000, "A document may use at most 50 directives; this one uses more.")]
    [InlineData(50, null)]
    public async Task DirectivesAreCountedBeforeTheRulesThatCompareThem(int count, string? refusal)
    {
        // 3,000 on one field took half a second of a replica's CPU and drew a 512 KB error list before the cap.
        var response = await _app.Client.PostAsync("{ __typename " + string.Concat(Enumerable.Repeat("@include(if: true) ", count)) + "}");

        AssertRefusedOnce(response, refusal, "TOO_MANY_DIRECTIVES");
    }

    [Theory]
    [InlineData(201, "A document may pass at most 200 arguments; this one passes more.")]
    [InlineData(4000, "A document may pass at most 200 arguments; this one passes more.")]
    [InlineData(200, null)]
    public async Task ArgumentsAreCountedBeforeTheRulesThatCompareThem(int count, string? refusal)
    {
        var response = await _app.Client.PostAsync("{ __typename(" + string.Join(' ', Enumerable.Range(0, count).Select(i => $"a{i}: 1")) + ") }");

        AssertRefusedOnce(response, refusal, "TOO_MANY_ARGUMENTS");
    }

    [Fact]
    public async Task AResponseListsTwentyErrorsAndCountsTheRest()
    {
        var response = await _app.Client.PostAsync("{ " + string.Join(' ', Enumerable.Range(0, 1999).Select(i => $"x{i}")) + " }");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(21, response.Errors!.Count);
        Assert.Equal("TOO_MANY_ROOT_FIELDS", response.FirstErrorCode);
        Assert.All(response.Errors.Skip(1), error => Assert.Equal("BAD_REQUEST", error!["extensions"]!["code"]!.GetValue<string>()));
        Assert.Matches(@"^\d+ more errors are not listed\.$", response.Errors[20]!["message"]!.GetValue<string>());
        Assert.True(response.Body.Length < 8_192, $"{response.Body.Length} bytes");
    }

    [Theory]
    [InlineData("TOO_MANY_FRAGMENTS", "fragments")]
    [InlineData("TOO_MANY_DIRECTIVES", "directives")]
    [InlineData("TOO_MANY_ARGUMENTS", "arguments")]
    [InlineData("TOO_MANY_SELECTIONS", "selections")]
    [InlineData("TOO_MANY_ROOT_FIELDS", "root fields")]
    public async Task EachLimitAnswersWithItsOwnCodeAndNoRuleNumber(string code, string over)
    {
        var query = over switch
        {
            "fragments" => "{ ...F0 } " + string.Join(' ', Enumerable.Range(0, 51).Select(i => $"fragment F{i} on Query {{ ...F{i + 1} }}")) + " fragment F51 on Query { __typename }",
            "directives" => "{\n  __typename " + string.Concat(Enumerable.Repeat("@include(if: true) ", 51)) + "}",
            "arguments" => "{ __typename(" + string.Join(' ', Enumerable.Range(0, 201).Select(i => $"a{i}: 1")) + ") }",
            "selections" => "{ " + string.Join(' ', Enumerable.Range(0, 9).Select(i => $"a{i}: __schema {{ types {{ " + string.Concat(Enumerable.Repeat("name ", 230)) + "} }")) + " }",
            _ => "{ " + string.Join(' ', Enumerable.Range(0, 11).Select(i => $"a{i}: __typename")) + " }",
        };

        var response = await _app.Client.PostAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        var error = response.Errors![0]!;
        Assert.Equal($$"""{"code":"{{code}}"}""", error["extensions"]!.ToJsonString());
        Assert.Single(error["locations"]!.AsArray());
    }

    [Fact]
    public async Task ALimitErrorPointsAtWhereTheDocumentCrossedIt()
    {
        var response = await _app.Client.PostAsync("{\n  __typename " + string.Concat(Enumerable.Repeat("@include(if: true) ", 51)) + "}");

        Assert.Equal("TOO_MANY_DIRECTIVES", response.FirstErrorCode);
        Assert.Equal("""[{"line":2,"column":964}]""", response.Errors![0]!["locations"]!.ToJsonString());
    }

    /// <summary>Over the cap: one error, the cap's, with its code. At the cap: the standard rules' own errors, at most 20 and a count.</summary>
    private static void AssertRefusedOnce(GqlResponse response, string? refusal, string code)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(refusal is null ? "BAD_REQUEST" : code, response.FirstErrorCode);
        if (refusal is null)
        {
            Assert.DoesNotContain("A document may", response.FirstErrorMessage, StringComparison.Ordinal);
            Assert.InRange(response.Errors!.Count, 2, 21);
        }
        else
        {
            Assert.Equal(refusal, Assert.Single(response.Errors!)!["message"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("{ @ __typename @ }", "... on Query { ", " }")]
    [InlineData("mutation { verifyToken(token: @\"x\"@) { payload } }", "[", "]")]
    public async Task DocumentsNestedBeyondTheParsersLimitGet400NotInternal(string template, string open, string close)
    {
        var query = ReplaceFirst(ReplaceFirst(template, "@", string.Concat(Enumerable.Repeat(open, 3000))), "@", string.Concat(Enumerable.Repeat(close, 3000)));

        var response = await _app.Client.PostAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("BAD_REQUEST", response.FirstErrorCode);
        Assert.Equal("The query is nested too deeply to parse.", response.FirstErrorMessage);
    }

    [Theory]
    [InlineData("{ a0: __typename a1: __typename a2: __typename a3: __typename a4: __typename a5: __typename a6: __typename a7: __typename a8: __typename a9: __typename a10: __typename }")]
    [InlineData("{ ...f ...f2 } fragment f on Query { a0: __typename a1: __typename a2: __typename a3: __typename a4: __typename a5: __typename } fragment f2 on Query { b0: __typename b1: __typename b2: __typename b3: __typename b4: __typename }")]
    public async Task MoreThanTenRootFieldsAreRefusedEvenWhenEachIsCheap(string query)
    {
        var response = await _app.Client.PostAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("TOO_MANY_ROOT_FIELDS", response.FirstErrorCode);
        Assert.Equal("An operation may select at most 10 root fields; this one selects 11.", response.FirstErrorMessage);
    }

    [Fact]
    public async Task TenRootFieldsAreFine()
    {
        var response = await _app.Client.PostAsync(
            "{ a0: __typename a1: __typename a2: __typename a3: __typename a4: __typename a5: __typename a6: __typename a7: __typename a8: __typename a9: __typename }");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Null(response.Errors);
    }

    [Fact]
    public async Task GraphiQLIntrospectionStillFitsTheLimits()
    {
        const string Introspection = "query IntrospectionQuery { __schema { queryType { name } mutationType { name } types { ...FullType } directives { name locations args { ...InputValue } } } } fragment FullType on __Type { kind name description fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason } inputFields { ...InputValue } interfaces { ...TypeRef } enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason } possibleTypes { ...TypeRef } } fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue } fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }";

        var response = await _app.Client.PostAsync(Introspection);

        Assert.True(response.Status == HttpStatusCode.OK, response.Body);
        Assert.Null(response.Errors);
        Assert.Equal("Mutation", response.Json!["data"]!["__schema"]!["mutationType"]!["name"]!.GetValue<string>());
    }

    private static string ReplaceFirst(string text, string marker, string replacement)
    {
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        return text[..at] + replacement + text[(at + marker.Length)..];
    }
}
