using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Stack;

/// <summary>
/// The ES256 key set through HAProxy over TLS on the stack local/up starts: what another service verifying tokens with
/// no secret sees, and the three replicas signing with the one key.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class PublishedKeysStackTests(LocalStackFixture stack)
{
    private const string CreateUser = "mutation($e:String!,$p:String!){createUser(email:$e,password:$p){user{email}}}";
    private const string Login = "mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}";
    private const string Password = "Vivid-Harbor-Lantern-42";

    [Fact]
    public async Task KeySetIsServedWithCacheHeadersAndAnswers304ToItsETag()
    {
        await stack.WaitUntilAllUpAsync();
        var keySet = new Uri(stack.BaseUri, "/.well-known/jwks.json");

        using var first = await stack.Https.GetAsync(keySet);
        var body = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;
        using var again = new HttpRequestMessage(HttpMethod.Get, keySet);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await stack.Https.SendAsync(again);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("public, max-age=300", first.Headers.CacheControl?.ToString());
        var key = Assert.Single(body["keys"]!.AsArray())!;
        Assert.Equal("local-es256", (string?)key["kid"]);
        Assert.Equal("ES256", (string?)key["alg"]);
        Assert.Null(key["d"]);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(first.Headers.ETag, notModified.Headers.ETag);
    }

    [Fact]
    public async Task DiscoveryDocumentNamesTheKeySetAndEs256()
    {
        await stack.WaitUntilAllUpAsync();

        using var response = await stack.Https.GetAsync(new Uri(stack.BaseUri, "/.well-known/openid-configuration"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith("/.well-known/jwks.json", (string?)body["jwks_uri"], StringComparison.Ordinal);
        Assert.Contains("ES256", body["id_token_signing_alg_values_supported"]!.AsArray().Select(alg => (string?)alg));
    }

    [Fact]
    public async Task TokenFromLoginThroughHaproxyVerifiesWithOnlyTheKeySetAndWorksOnEveryReplica()
    {
        await stack.WaitUntilAllUpAsync();
        var email = $"jwks-{Guid.NewGuid():N}@example.com";
        await stack.GraphqlAsync(CreateUser, new { e = email, p = Password });
        var (_, login) = await stack.GraphqlAsync(Login, new { e = email, p = Password });
        var token = login["data"]?["login"]?["token"]?.GetValue<string>();
        Assert.NotNull(token);

        var verified = await JwksVerifier.VerifyAsync(stack.Https, new Uri(stack.BaseUri, "/.well-known/jwks.json"), token, "ES256");

        Assert.True(verified.IsValid, verified.Exception?.Message);
        Assert.Equal(email, verified.Claims["email"]);
        using var direct = new HttpClient();
        foreach (var port in stack.Ports.Apps)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://127.0.0.1:{port}/graphql/"))
            {
                Content = new StringContent(JsonSerializer.Serialize(new { query = "{ me { email } }" }), Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("JWT", token);
            using var response = await direct.SendAsync(request);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(email, body["data"]?["me"]?["email"]?.GetValue<string>());
        }
    }
}
