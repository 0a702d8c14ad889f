using System.Text;
using System.Text.Json;

namespace Qraft.Tests.Hostile;

/// <summary>
/// One malformed or hostile request. <see cref="Statuses"/> lists the acceptable HTTP statuses (empty: any below
/// 500); <see cref="Code"/>, when set, is the SPEC code the first error must carry. <see cref="RawPath"/> cases are
/// sent by curl --path-as-is, since System.Uri would resolve their dot segments and escapes before sending.
/// </summary>
internal sealed record HostileCase(
    string Name,
    HttpMethod Method,
    string PathAndQuery,
    byte[]? Body,
    string? ContentType,
    int[] Statuses,
    string? Code = null,
    IReadOnlyList<(string Name, string Value)>? Headers = null,
    bool Chunked = false,
    bool RawPath = false);

/// <summary>
/// The table of hostile requests (issue 6), grouped as the issue lists them. Each is sent through HAProxy by
/// <see cref="HostileRequestTests"/>. Cases that hash a password are few on purpose: the stack hashes at full cost.
/// </summary>
internal static class HostileCorpus
{
    private const string Json = "application/json";
    private const string Login = "mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}";
    private const string SignUp = "mutation($e:String!,$p:String!){createUser(email:$e,password:$p){user{email}}}";

    private static readonly int[] BadRequest = [400];
    private static readonly int[] Ok = [200];

    public static IReadOnlyList<HostileCase> All()
    {
        var cases = new List<HostileCase>();
        cases.AddRange(BrokenJson());
        cases.AddRange(ContentTypesAndMethods());
        cases.AddRange(Sizes());
        cases.AddRange(Batches());
        cases.AddRange(EncodingsAndNul());
        cases.AddRange(LongValues());
        cases.AddRange(DeepAndWide());
        cases.AddRange(Fragments());
        cases.AddRange(Introspection());
        cases.AddRange(Variables());
        cases.AddRange(Operations());
        cases.AddRange(Injection());
        cases.AddRange(HeadersAndPaths());
        return cases;
    }

    private static IEnumerable<HostileCase> BrokenJson()
    {
        string[] bodies =
        [
            "{", "}", "{\"query\":", "{\"query\":\"{__typename}\"", "{'query':'{__typename}'}", "{\"query\":\"{__typename}\",}",
            "{\"query\":\"{__typename}\"}}", "{\"query\": {__typename}}", "null", "true", "123", "\"{__typename}\"",
            "{\"query\":null}", "{\"query\":123}", "{\"query\":[\"{__typename}\"]}", "{\"query\":{\"a\":1}}",
            "{\"query\":\"{__typename}\",\"variables\":[1]}", "{\"query\":\"{__typename}\",\"variables\":123}",
            "{\"query\":\"{__typename}\",\"variables\":\"{not json\"}", "{\"query\":\"{__typename}\",\"operationName\":123}",
            "{\"query\":\"{__typename}\"} trailing", "/* comment */ {\"query\":\"{__typename}\"}",
            "{\"query\":\"{__typename}\", \"query\":\"{ me { email } }\"}", "{\"query\":\"\\ud800\"}",
            "{\"query\":\"{__typename}\",\"variables\":" + new string('[', 5000) + new string(']', 5000) + "}",
            "{\"query\":\"{__typename}\",\"variables\":{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 2000)) + "1" + new string('}', 2000) + "}}",
            "{\"query\":\"{ __typename }\",\"extensions\":\"x\"}",
        ];
        return bodies.Select((body, i) => Post($"broken JSON #{i + 1}: {Clip(body)}", body, statuses: [200, 400]));
    }

    private static IEnumerable<HostileCase> ContentTypesAndMethods()
    {
        const string Typename = "{\"query\":\"{ __typename }\"}";
        yield return Post("no content type", Typename, contentType: null, statuses: [415]);
        foreach (var type in new[] { "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "application/jsonx", "*/*", ";;;", "application/json-patch+json" })
        {
            yield return Post($"content type {type}", Typename, contentType: type, statuses: [415]);
        }

        yield return Post("content type in upper case", Typename, contentType: "APPLICATION/JSON", statuses: Ok);
        yield return Post("content type with a charset this body is not in", Typename, contentType: "application/json; charset=utf-16", statuses: [200, 400, 415]);
        yield return Post("application/graphql with a broken document", "{ __typename", contentType: "application/graphql", statuses: BadRequest, code: "BAD_REQUEST");
        yield return Post("form-encoded query", "query=%7B__typename%7D", contentType: "application/x-www-form-urlencoded", statuses: [415]);
        foreach (var method in new[] { "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND" })
        {
            yield return new HostileCase($"method {method}", new HttpMethod(method), "/graphql/", Encoding.UTF8.GetBytes(Typename), Json, [404, 405, 400, 501]);
        }
    }

    private static IEnumerable<HostileCase> Sizes()
    {
        var padded = (int n) => Encoding.UTF8.GetBytes($"{{\"query\":\"{{ __typename }}{new string(' ', n)}\"}}");
        yield return Post("empty body", "", statuses: BadRequest, code: "BAD_REQUEST");
        yield return Post("whitespace body", "   \n\t  ", statuses: BadRequest, code: "BAD_REQUEST");
        yield return Post("empty query", "{\"query\":\"\"}", statuses: BadRequest, code: "BAD_REQUEST");
        yield return Post("empty object", "{}", statuses: BadRequest, code: "BAD_REQUEST");
        yield return new HostileCase("body just under 64 KiB", HttpMethod.Post, "/graphql/", padded(64 * 1024 - 40), Json, Ok);
        yield return new HostileCase("body of 64 KiB + 1", HttpMethod.Post, "/graphql/", padded(64 * 1024 - 25 + 1), Json, [413], "BAD_REQUEST");
        yield return new HostileCase("body of 1 MiB", HttpMethod.Post, "/graphql/", padded(1024 * 1024), Json, [413], "BAD_REQUEST");
        yield return new HostileCase("chunked body of 200 KiB", HttpMethod.Post, "/graphql/", padded(200 * 1024), Json, [413], "BAD_REQUEST", Chunked: true);
        yield return new HostileCase("chunked small body", HttpMethod.Post, "/graphql/", padded(10), Json, Ok, Chunked: true);
    }

    private static IEnumerable<HostileCase> Batches()
    {
        yield return Post("empty batch", "[]", statuses: BadRequest, code: "BAD_REQUEST");
        yield return Post("batch of one", "[{\"query\":\"{ __typename }\"}]", statuses: BadRequest, code: "BAD_REQUEST");
        yield return Post("batch after whitespace", " \n [{\"query\":\"{ __typename }\"}]", statuses: BadRequest, code: "BAD_REQUEST");
        yield return Post("batch of 100 logins", "[" + string.Join(',', Enumerable.Repeat(Request(Login, new { e = "a@b.co", p = "x" }), 100)) + "]", statuses: BadRequest, code: "BAD_REQUEST");
    }

    private static IEnumerable<HostileCase> EncodingsAndNul()
    {
        var bytes = (string prefix, byte[] middle, string suffix) => (byte[])[.. Encoding.UTF8.GetBytes(prefix), .. middle, .. Encoding.UTF8.GetBytes(suffix)];
        yield return Raw("UTF-16 body with BOM", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("{\"query\":\"{ __typename }\"}")], BadRequest);
        yield return Raw("invalid UTF-8 in the query", bytes("{\"query\":\"{ __type", [0xFF, 0xFE], "name }\"}"), BadRequest);
        yield return Raw("overlong UTF-8 slash", bytes("{\"query\":\"{ __typename ", [0xC0, 0xAF], " }\"}"), BadRequest);
        yield return Raw("truncated UTF-8 sequence", bytes("{\"query\":\"{ __typename }", [0xE2, 0x82], "\"}"), [200, 400]);
        yield return Raw("invalid UTF-8 in a login email", bytes("{\"query\":\"mutation{login(email:\\\"a", [0xFF], "@example.com\\\",password:\\\"x\\\"){token}}\"}"), Ok, "INVALID_CREDENTIALS");
        yield return Raw("raw NUL in the body", bytes("{\"query\":\"{ __typename }", [0x00], "\"}"), BadRequest);
        yield return Raw("raw NUL before the body", bytes("", [0x00], "{\"query\":\"{ __typename }\"}"), BadRequest);
        yield return Post("escaped NUL in the document", "{\"query\":\"{ __typename \\u0000 }\"}", statuses: BadRequest, code: "BAD_REQUEST");
        yield return Post("NUL in a sign-up email", Request(SignUp, new { e = "nul\0byte@example.com", p = "Vivid-Harbor-Lantern-42" }), statuses: Ok, code: "INVALID_EMAIL");
        yield return Post("NUL in a login email", Request(Login, new { e = "a@example.com\0", p = "Vivid-Harbor-Lantern-42" }), statuses: Ok, code: "INVALID_CREDENTIALS");
        yield return Post("lone surrogate in an email", Request(SignUp, new { e = "a\ud800@example.com", p = "Vivid-Harbor-Lantern-42" }), statuses: [200, 400]);
        yield return Post("right-to-left override in an email", Request(SignUp, new { e = "a\u202Egro.elpmaxe@moc", p = "Vivid-Harbor-Lantern-42" }), statuses: Ok, code: "INVALID_EMAIL");
    }

    private static IEnumerable<HostileCase> LongValues()
    {
        var longEmail = new string('a', 10_000) + "@example.com";
        var longPassword = new string('p', 5_000);
        yield return Post("10,000-character email on sign-up", Request(SignUp, new { e = longEmail, p = "Vivid-Harbor-Lantern-42" }), statuses: Ok, code: "INVALID_EMAIL");
        yield return Post("10,000-character email on login", Request(Login, new { e = longEmail, p = "Vivid-Harbor-Lantern-42" }), statuses: Ok, code: "INVALID_CREDENTIALS");
        yield return Post("5,000-character password on sign-up", Request(SignUp, new { e = $"long{Guid.NewGuid():N}@example.com", p = longPassword }), statuses: Ok, code: "WEAK_PASSWORD");
        yield return Post("5,000-character password on login", Request(Login, new { e = "nobody@example.com", p = longPassword }), statuses: Ok, code: "INVALID_CREDENTIALS");
        yield return Post("10,000-character email and 5,000-character password on login", Request(Login, new { e = longEmail, p = longPassword }), statuses: Ok, code: "INVALID_CREDENTIALS");
        yield return Post("255-character email", Request(SignUp, new { e = new string('a', 64) + "@" + new string('b', 180) + ".com", p = "Vivid-Harbor-Lantern-42" }), statuses: Ok, code: "INVALID_EMAIL");
        yield return Post("65-character local part", Request(SignUp, new { e = new string('a', 65) + "@example.com", p = "Vivid-Harbor-Lantern-42" }), statuses: Ok, code: "INVALID_EMAIL");
        yield return Post("10,000-character token", Request("mutation($t:String!){verifyToken(token:$t){payload}}", new { t = "eyJ" + new string('a', 10_000) }), statuses: Ok, code: "TOKEN_INVALID");
        yield return Post("60,000-character string literal", Request("mutation($t:String!){verifyToken(token:$t){payload}}", new { t = new string('x', 60_000) }), statuses: Ok, code: "TOKEN_INVALID");
        yield return Post("10,000-character operation name", Request("query " + new string('Q', 10_000) + " { __typename }", null), statuses: Ok);
        yield return Post("10,000-character field name", Request("{ " + new string('f', 10_000) + " }", null), statuses: BadRequest, code: "BAD_REQUEST");
    }

    private static IEnumerable<HostileCase> DeepAndWide()
    {
        var nest = (string open, string inner, string close, int depth) => string.Concat(Enumerable.Repeat(open, depth)) + inner + string.Concat(Enumerable.Repeat(close, depth));
        yield return Query("20 levels of introspection types", "{ __schema { types { " + nest("fields { type { ", "name", " } }", 9) + " } } }", BadRequest, "BAD_REQUEST");
        yield return Query("3,000 nested inline fragments", "{ " + nest("... on Query { ", "__typename", " }", 3000) + " }", BadRequest, "BAD_REQUEST");
        yield return Query("3,000 nested list values", "mutation { verifyToken(token: " + nest("[", "\"x\"", "]", 3000) + ") { payload } }", BadRequest, "BAD_REQUEST");
        yield return Query("500 nested object values", "mutation { verifyToken(token: " + nest("{a: ", "1", "}", 500) + ") { payload } }", BadRequest, "BAD_REQUEST");
        yield return Query("1,000 root __typename fields", "{ " + string.Join(' ', Enumerable.Repeat("__typename", 1000)) + " }", [200, 400]);
        yield return Query("3,000 email fields on me", "{ me { " + string.Join(' ', Enumerable.Repeat("email", 3000)) + " } }", [200, 400]);
        yield return Query("aliases x1000 of login", "mutation { " + string.Join(' ', Enumerable.Range(0, 1000).Select(i => $"a{i}:login(email:\"a\",password:\"x\"){{token}}")) + " }", BadRequest, "TOO_MANY_ARGUMENTS");
        yield return Query("aliases x1000 of createUser", "mutation { " + string.Join(' ', Enumerable.Range(0, 1000).Select(i => $"a{i}:createUser(email:\"a\",password:\"x\"){{user{{id}}}}")) + " }", [400, 413], "BAD_REQUEST");
        yield return Query("aliases x1000 of __typename", "{ " + string.Join(' ', Enumerable.Range(0, 1000).Select(i => $"a{i}: __typename")) + " }", BadRequest, "TOO_MANY_ROOT_FIELDS");
        yield return Query("aliases x1000 of email on me", "{ me { " + string.Join(' ', Enumerable.Range(0, 1000).Select(i => $"a{i}: email")) + " } }", [200, 400]);
        yield return Query("11 logins in one request", "mutation { " + string.Join(' ', Enumerable.Range(0, 11).Select(i => $"a{i}: login(email: \"a@b.co\", password: \"x\") {{ token }}")) + " }", BadRequest, "TOO_MANY_ROOT_FIELDS");
        yield return Query("1,000 directives on one field", "{ __typename " + string.Concat(Enumerable.Repeat("@include(if: true) ", 1000)) + "}", [200, 400]);
        yield return Query("1,000 arguments on one field", "{ __typename(" + string.Join(' ', Enumerable.Range(0, 1000).Select(i => $"a{i}: 1")) + ") }", BadRequest, "TOO_MANY_ARGUMENTS");
        yield return Query("1,000 variables declared", "query(" + string.Join(' ', Enumerable.Range(0, 1000).Select(i => $"$v{i}: Int")) + ") { __typename }", [200, 400]);
    }

    private static IEnumerable<HostileCase> Fragments()
    {
        var doubling = string.Join(' ', Enumerable.Range(0, 30).Select(i => $"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}"));
        yield return Query("fragment bomb (2^30 selections)", $"{{ ...F0 }} {doubling} fragment F30 on Query {{ __typename }}", BadRequest, "TOO_MANY_SELECTIONS");
        yield return Query("fragment bomb of inline fragments x10", "{ " + string.Concat(Enumerable.Repeat("... on Query { ...A ...A ...A ...A ...A ...A ...A ...A ...A ...A } ", 1)) + "} fragment A on Query { " + string.Concat(Enumerable.Repeat("__typename ", 300)) + "}", BadRequest, "TOO_MANY_SELECTIONS");
        yield return Query("fragment cycle of two", "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }", BadRequest, "BAD_REQUEST");
        yield return Query("fragment spreading itself", "{ ...A } fragment A on Query { __typename ...A }", BadRequest, "BAD_REQUEST");
        yield return Query("fragment cycle of 500", "{ ...F0 } " + string.Join(' ', Enumerable.Range(0, 500).Select(i => $"fragment F{i} on Query {{ ...F{(i + 1) % 500} }}")), BadRequest, "TOO_MANY_FRAGMENTS");
        yield return Query("chain of 1,500 fragments", "{ ...F0 } " + string.Join(' ', Enumerable.Range(0, 1500).Select(i => $"fragment F{i} on Query {{ ...F{i + 1} }}")) + " fragment F1500 on Query { __typename }", BadRequest, "TOO_MANY_FRAGMENTS");
        yield return Query("50 fragments, the most allowed", "{ ...F0 } " + string.Join(' ', Enumerable.Range(0, 49).Select(i => $"fragment F{i} on Query {{ ...F{i + 1} }}")) + " fragment F49 on Query { __typename }", Ok);
        yield return Query("unknown fragment", "{ ...Nope }", BadRequest, "BAD_REQUEST");
        yield return Query("unused fragment", "{ __typename } fragment A on Query { __typename }", BadRequest, "BAD_REQUEST");
        yield return Query("fragment on a wrong type", "{ ...A } fragment A on User { email }", BadRequest, "BAD_REQUEST");
        yield return Query("two fragments with one name", "{ ...A } fragment A on Query { __typename } fragment A on Query { __typename }", BadRequest, "BAD_REQUEST");
    }

    private static IEnumerable<HostileCase> Introspection()
    {
        const string Full = "query IntrospectionQuery { __schema { queryType { name } mutationType { name } types { ...FullType } directives { name locations args { ...InputValue } } } } fragment FullType on __Type { kind name description fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason } inputFields { ...InputValue } interfaces { ...TypeRef } enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason } possibleTypes { ...TypeRef } } fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue } fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }";
        yield return Query("GraphiQL's full introspection", Full, Ok);
        yield return Query("full introspection x10 aliases", "{ " + string.Join(' ', Enumerable.Range(0, 10).Select(i => $"s{i}: __schema {{ types {{ ...FullType }} }}")) + " } " + Full[Full.IndexOf("fragment FullType", StringComparison.Ordinal)..], BadRequest, "BAD_REQUEST");
        yield return Query("__schema x100 aliases", "{ " + string.Join(' ', Enumerable.Range(0, 100).Select(i => $"s{i}: __schema {{ types {{ name }} }}")) + " }", BadRequest, "TOO_MANY_ROOT_FIELDS");
        yield return Query("__type of every name", "{ " + string.Join(' ', Enumerable.Range(0, 10).Select(i => $"t{i}: __type(name: \"User\") {{ fields {{ name type {{ name ofType {{ name }} }} }} }}")) + " }", [200, 400]);
        yield return Query("__type with a huge name", "{ __type(name: \"" + new string('U', 20_000) + "\") { name } }", Ok);
        yield return Get("introspection over GET", "/graphql/?query=" + Uri.EscapeDataString("{ __schema { types { name } } }"), Ok);
        yield return Query("__typename on a mutation", "mutation { __typename }", Ok);
    }

    private static IEnumerable<HostileCase> Variables()
    {
        object[] wrongEmails = [5, true, new { a = 1 }, new[] { "a@b.co" }, 1.5];
        foreach (var email in wrongEmails)
        {
            yield return Post($"email variable of type {JsonSerializer.Serialize(email)}", Request(Login, new { e = email, p = "x" }), statuses: BadRequest, code: "BAD_REQUEST");
        }

        yield return Post("null for a non-null variable", Request(Login, new { e = (string?)null, p = "x" }), statuses: BadRequest, code: "BAD_REQUEST");
        yield return Post("missing variables", Request(Login, null), statuses: BadRequest, code: "BAD_REQUEST");
        yield return Post("undeclared extra variables", Request("{ __typename }", new { extra = new string('x', 1000) }), statuses: [200, 400]);
        yield return Post("variable declared Int for a String argument", Request("mutation($e:Int!){login(email:$e,password:\"x\"){token}}", new { e = 1 }), statuses: BadRequest, code: "BAD_REQUEST");
        yield return Post("variable of an unknown type", Request("query($v:Nope){ __typename }", new { v = 1 }), statuses: BadRequest, code: "BAD_REQUEST");
        yield return Query("first beyond Int", "{ users(first: 99999999999) { email } }", BadRequest, "BAD_REQUEST");
        yield return Query("first negative", "{ users(first: -1) { email } }", Ok, "UNAUTHENTICATED");
        yield return Query("first as a string", "{ users(first: \"ten\") { email } }", BadRequest, "BAD_REQUEST");
        yield return Query("login without a password", "mutation { login(email: \"a@b.co\") { token } }", BadRequest, "BAD_REQUEST");
        yield return Query("unknown argument", "mutation { login(email: \"a@b.co\", password: \"x\", admin: true) { token } }", BadRequest, "BAD_REQUEST");
        yield return Get("variables that are not JSON over GET", "/graphql/?query=%7B__typename%7D&variables=%7Bnope", BadRequest, "BAD_REQUEST");
    }

    private static IEnumerable<HostileCase> Operations()
    {
        yield return Post("unknown operationName", "{\"query\":\"query A { __typename }\",\"operationName\":\"Nope\"}", statuses: BadRequest, code: "BAD_REQUEST");
        yield return Post("two operations, no operationName", "{\"query\":\"query A { __typename } query B { __typename }\"}", statuses: BadRequest, code: "BAD_REQUEST");
        yield return Post("operationName naming the mutation", "{\"query\":\"query A { __typename } mutation B { __typename }\",\"operationName\":\"B\"}", statuses: Ok);
        yield return Post("two operations with one name", "{\"query\":\"query A { __typename } query A { __typename }\",\"operationName\":\"A\"}", statuses: BadRequest, code: "BAD_REQUEST");
        yield return Query("subscription", "subscription { __typename }", BadRequest, "BAD_REQUEST");
        yield return Query("unknown root field", "{ nope }", BadRequest, "BAD_REQUEST");
        yield return Query("unknown mutation", "mutation { deleteUser(email: \"a@b.co\") { ok } }", BadRequest, "BAD_REQUEST");
        yield return Query("password of another user via users", "{ users { email password } }", Ok, "UNAUTHENTICATED");
        yield return Get("GET without query", "/graphql/", BadRequest, "BAD_REQUEST");
        yield return Get("mutation over GET", "/graphql/?query=" + Uri.EscapeDataString("mutation { verifyToken(token: \"x\") { payload } }"), [405], "BAD_REQUEST");
        yield return Get("mutation over GET by operationName", "/graphql/?query=" + Uri.EscapeDataString("query A { __typename } mutation B { __typename }") + "&operationName=B", [405], "BAD_REQUEST");
        yield return Get("20,000-character URL", "/graphql/?query=%7B" + new string('a', 20_000) + "%7D", [400, 414, 431]);
        yield return Query("only a comment", "# nothing here", BadRequest, "BAD_REQUEST");
    }

    private static IEnumerable<HostileCase> Injection()
    {
        string[] emails =
        [
            "' OR '1'='1@example.com", "a@example.com' OR 1=1 --", "admin'--@example.com", "x@example.com\" or \"\"=\"",
            "PartitionKey ne ''@example.com", "a@b.co' or RowKey gt '", "<script>alert(1)</script>@example.com",
            "${jndi:ldap://x/a}@example.com", "../../etc/passwd@example.com", "a@example.com%00", "*)(uid=*))(|(uid=*@example.com",
        ];
        foreach (var email in emails)
        {
            yield return Post($"injection-looking login email {Clip(email)}", Request(Login, new { e = email, p = "' OR 1=1 --" }), statuses: Ok, code: "INVALID_CREDENTIALS");
        }

        yield return Post("injection-looking sign-up email", Request(SignUp, new { e = "x' or PartitionKey ne '@example.com", p = "Vivid-Harbor-Lantern-42" }), statuses: Ok, code: "INVALID_EMAIL");
        yield return Post("script as a token", Request("mutation($t:String!){verifyToken(token:$t){payload}}", new { t = "<script>alert(1)</script>" }), statuses: Ok, code: "TOKEN_INVALID");
        yield return Post("OData filter as a refresh token", Request("mutation($r:String!){refreshToken(refreshToken:$r){token}}", new { r = "x' or PartitionKey ne '" }), statuses: Ok, code: "TOKEN_INVALID");
        yield return Post("OData filter as users' after", Request("{ users(after: \"' or RowKey ne '\") { email } }", null), statuses: Ok, code: "UNAUTHENTICATED");
    }

    private static IEnumerable<HostileCase> HeadersAndPaths()
    {
        const string Me = "{\"query\":\"{ me { email } }\"}";
        (string Name, string Value)[][] headerSets =
        [
            [("Authorization", "JWT ")], [("Authorization", "JWT not.a.token")], [("Authorization", "Bearer " + new string('a', 7000))],
            [("Authorization", "Basic YWRtaW46YWRtaW4=")], [("Authorization", "JWT eyJhbGciOiJub25lIn0.eyJlbWFpbCI6ImFAYi5jbyJ9.")],
            [("Authorization", "JWT eyJlR.eyJhIjoxfQ.abc")], [("Content-Encoding", "gzip")],
        ];
        foreach (var headers in headerSets)
        {
            yield return new HostileCase($"header {headers[0].Name}: {Clip(headers[0].Value)}", HttpMethod.Post, "/graphql/", Encoding.UTF8.GetBytes(Me), Json, [200, 400], Headers: headers);
        }

        foreach (var path in new[] { "/metrics/", "/Metrics", "/./metrics", "/%6detrics", "/graphql/../metrics", "/graphql/%2e%2e/metrics", "/health/ready", "/api/graphql", "/graphql/static/../../metrics", "/GRAPHQL/" })
        {
            yield return new HostileCase($"path {path}", HttpMethod.Get, path, null, null, [400, 401, 404], RawPath: true);
        }
    }

    private static HostileCase Post(string name, string body, string? contentType = Json, int[]? statuses = null, string? code = null) =>
        new(name, HttpMethod.Post, "/graphql/", Encoding.UTF8.GetBytes(body), contentType, statuses ?? [], code);

    private static HostileCase Raw(string name, byte[] body, int[] statuses, string? code = null) =>
        new(name, HttpMethod.Post, "/graphql/", body, Json, statuses, code);

    private static HostileCase Query(string name, string query, int[] statuses, string? code = null) =>
        Post(name, Request(query, null), statuses: statuses, code: code);

    private static HostileCase Get(string name, string pathAndQuery, int[] statuses, string? code = null) =>
        new(name, HttpMethod.Get, pathAndQuery, null, null, statuses, code);

    private static string Request(string query, object? variables) => JsonSerializer.Serialize(new { query, variables });

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
