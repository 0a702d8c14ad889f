using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.FunctionsHost;

/// <summary>
/// The same requests to the worker through the harness (as <c>func start</c> would forward them) and to the self-hosted
/// replica on the same tables answer the same bytes. Each side signs up its own account (one table, unique emails), so
/// <see cref="ParityResponse.Normalized"/> blanks that email, tokens, salted hashes, ids and times; <c>Date</c> is left
/// out; everything else, X-Served-By and X-Request-Id included, must match as it is.
/// </summary>
[Collection(FunctionsHostCollection.Name)]
public sealed partial class FunctionsHostParityTests(FunctionsHostFixture fixture)
{
    private const string Password = "correct horse battery";

    private const string Me = "{me{email lastLogin dateJoined password}}";

    [Fact]
    public async Task CreateUserAnswersTheSameThroughTheHost()
    {
        var (self, host) = await BothAsync(email => GraphQLClient.PostRequest(GraphQLClient.CreateUser, new { email, password = Password }));

        Assert.Equal(self.Response.Normalized(self.Email), host.Response.Normalized(host.Email));
        Assert.Contains("pbkdf2_sha256$1000$", Encoding.UTF8.GetString(host.Response.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginAnswersTheSameThroughTheHost()
    {
        var (self, host) = await BothAsync(async (client, email) =>
        {
            await client.SignUpAsync(email, Password);
            return GraphQLClient.PostRequest(GraphQLClient.Login, new { email, password = Password });
        });

        Assert.Equal(self.Response.Normalized(self.Email), host.Response.Normalized(host.Email));
        Assert.Matches(JwtShape(), Encoding.UTF8.GetString(host.Response.Body));
    }

    [Fact]
    public async Task LoginWhileLoggedInAnswersTheSameKoreanErrorThroughTheHost()
    {
        var (self, host) = await BothAsync(async (client, email) =>
        {
            await client.SignUpAsync(email, Password);
            var token = await client.LoginAsync(email, Password);
            return GraphQLClient.PostRequest(GraphQLClient.Login, new { email, password = Password }, $"JWT {token}");
        });

        Assert.Equal(self.Response.Normalized(self.Email), host.Response.Normalized(host.Email));
        Assert.Contains("ALREADY_LOGGED_IN", host.Response.Normalized(host.Email), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MeAnswersTheSameThroughTheHost()
    {
        var (self, host) = await BothAsync(async (client, email) =>
        {
            await client.SignUpAsync(email, Password);
            return GraphQLClient.PostRequest(Me, variables: null, $"JWT {await client.LoginAsync(email, Password)}");
        });

        Assert.Equal(self.Response.Normalized(self.Email), host.Response.Normalized(host.Email));
        Assert.Contains("\"email\":\"<email>\"", host.Response.Normalized(host.Email), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MeWithoutATokenAnswersTheSameThroughTheHost()
    {
        var (self, host) = await BothAsync(_ => GraphQLClient.PostRequest(Me));

        Assert.Equal(self.Response.Normalized(), host.Response.Normalized());
        Assert.Contains("UNAUTHENTICATED", host.Response.Normalized(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GraphiQLAndItsAssetsAreTheSameBytesThroughTheHost()
    {
        static HttpRequestMessage Page(string _)
        {
            var request = Get("/graphql/");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
            return request;
        }

        var (self, host) = await BothAsync(Page);
        Assert.Equal(self.Response, host.Response, ResponseBytes.Instance);

        // An asset's route has a parameter, which reaches the function as trigger metadata.
        var asset = AssetPath().Match(Encoding.UTF8.GetString(host.Response.Body)).Value;
        var (selfAsset, hostAsset) = await BothAsync(_ => Get(asset));
        Assert.Equal(200, hostAsset.Response.Status);
        Assert.Equal(selfAsset.Response, hostAsset.Response, ResponseBytes.Instance);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/health/ready")]
    [InlineData("/.well-known/jwks.json")]
    [InlineData("/graphql/?query=mutation{revokeToken(refreshToken:\"x\"){revoked}}")]
    public async Task PlainEndpointsAreTheSameBytesThroughTheHost(string path)
    {
        var (self, host) = await BothAsync(_ => Get(path));

        Assert.Equal(self.Response, host.Response, ResponseBytes.Instance);
    }

    [Fact]
    public async Task DiscoveryPointsEachSideAtItsOwnKeySetThroughTheHost()
    {
        // Without Jwt__Issuer the issuer is the request's origin, which differs between the two sides by port only.
        var (self, host) = await BothAsync(_ => Get("/.well-known/openid-configuration"));

        Assert.Equal((200, 200), (self.Response.Status, host.Response.Status));
        Assert.All([self, host], side =>
        {
            var document = System.Text.Json.Nodes.JsonNode.Parse(side.Response.Body)!;
            Assert.StartsWith("http://127.0.0.1:", document["issuer"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(document["issuer"]!.GetValue<string>() + "/.well-known/jwks.json", document["jwks_uri"]!.GetValue<string>());
        });
    }

    [Fact]
    public async Task MetricsHaveTheSameFamiliesThroughTheHost()
    {
        // The values count each side's own traffic and process; the families, their types and help must agree.
        var (self, host) = await BothAsync(_ => Get("/metrics"));

        Assert.Equal(self.Response.Status, host.Response.Status);
        Assert.Equal(self.Response.Headers, host.Response.Headers);
        Assert.Equal(Families(self.Response), Families(host.Response));
        Assert.Contains("# TYPE qraft_", Families(host.Response), StringComparison.Ordinal);
    }

    private static string Families(ParityResponse response) =>
        string.Join("\n", Encoding.UTF8.GetString(response.Body).Split('\n').Where(line => line.StartsWith('#')));

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private Task<(Side Self, Side Host)> BothAsync(Func<string, HttpRequestMessage> request) =>
        BothAsync((_, email) => Task.FromResult(request(email)));

    /// <summary>Runs the same steps against the self-host, then through the harness, each with an account of its own.</summary>
    private async Task<(Side Self, Side Host)> BothAsync(Func<GraphQLClient, string, Task<HttpRequestMessage>> steps)
    {
        var requestId = $"parity-{Guid.NewGuid():N}";
        return (await OneSideAsync(fixture.SelfHost.Client, steps, requestId), await OneSideAsync(fixture.Host, steps, requestId));
    }

    private static async Task<Side> OneSideAsync(GraphQLClient client, Func<GraphQLClient, string, Task<HttpRequestMessage>> steps, string requestId)
    {
        var email = GraphQLClient.UniqueEmail();
        using var request = await steps(client, email);
        request.Headers.Add("X-Request-Id", requestId);
        using var response = await client.Http.SendAsync(request);
        return new Side(email, await ParityResponse.ReadAsync(response));
    }

    [GeneratedRegex(@"/graphql/static/[A-Za-z0-9._-]+\.js")]
    private static partial Regex AssetPath();

    [GeneratedRegex(@"""token"":""eyJ[\w-]+\.[\w-]+\.[\w-]+""")]
    private static partial Regex JwtShape();

    private sealed record Side(string Email, ParityResponse Response);

    /// <summary>Equal when status, headers and every body byte are.</summary>
    private sealed class ResponseBytes : IEqualityComparer<ParityResponse>
    {
        public static readonly ResponseBytes Instance = new();

        public bool Equals(ParityResponse? x, ParityResponse? y) =>
            x is not null && y is not null && x.Status == y.Status && x.Headers == y.Headers && x.Body.AsSpan().SequenceEqual(y.Body);

        public int GetHashCode(ParityResponse obj) => obj.Status;
    }
}
