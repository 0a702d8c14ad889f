using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Security;

/// <summary>
/// ES256 and RS256 access tokens from a real app, checked by a separate verifier that knows only what the app
/// publishes at <c>/.well-known/jwks.json</c> (fetched over HTTP) and Microsoft.IdentityModel, never our signing code;
/// and the same forgeries sent to the API, which must refuse them as the verifier does.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AsymmetricAccessTokenApiTests(AzuriteFixture azurite)
{
    private const string Me = "{ me { email } }";
    private const string Verify = "mutation($t:String!){ verifyToken(token:$t) { payload } }";
    private const string CurrentKid = "2026-12";
    private const string PreviousKid = "2026-06";

    public static TheoryData<string> Algorithms => ["ES256", "RS256"];

    public static TheoryData<string, string> Forgeries => new()
    {
        { "ES256", "payload altered after signing" },
        { "ES256", "alg none" },
        { "ES256", "HS256 signed with the published public key" },
        { "ES256", "kid naming no published key" },
        { "ES256", "RS256 header on an ES256 key's kid" },
        { "RS256", "payload altered after signing" },
        { "RS256", "alg none" },
        { "RS256", "HS256 signed with the published public key" },
        { "RS256", "kid naming no published key" },
        { "RS256", "ES256 header on an RS256 key's kid" },
    };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task OurTokensVerifyWithOnlyThePublishedKeys(string algorithm)
    {
        using var keys = new TestKeys(algorithm);
        await using var app = await StartAsync(keys);
        var (email, password) = await app.Client.SignUpAsync();

        var token = await app.Client.LoginAsync(email, password);
        var result = await VerifyWithJwksAsync(app, token, algorithm);

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(email, result.Claims["email"]);
        var header = JsonNode.Parse(Base64Url.DecodeFromChars(token.Split('.')[0]))!;
        Assert.Equal((algorithm, CurrentKid), (header["alg"]!.GetValue<string>(), header["kid"]!.GetValue<string>()));
        Assert.Equal(email, (await app.Client.PostAsync(Me, authorization: $"JWT {token}")).Data("me")!["email"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task TokenSignedWithAPreviousKeyVerifiesWhileItsPublicKeyIsPublished(string algorithm)
    {
        using var keys = new TestKeys(algorithm);
        await using var app = await StartAsync(keys);
        var (email, _) = await app.Client.SignUpAsync();
        var token = keys.SignWithPrevious(algorithm, PreviousKid, Payload(email));

        var verified = await VerifyWithJwksAsync(app, token, algorithm);
        var me = await app.Client.PostAsync(Me, authorization: $"JWT {token}");

        Assert.True(verified.IsValid, verified.Exception?.Message);
        Assert.Equal(email, me.Data("me")!["email"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task ForgedTokenIsRefusedByTheJwksVerifierAndByTheApi(string algorithm, string forgery)
    {
        using var keys = new TestKeys(algorithm);
        await using var app = await StartAsync(keys);
        var (email, password) = await app.Client.SignUpAsync();
        var genuine = await app.Client.LoginAsync(email, password);
        var token = Forge(forgery, genuine, keys, email);

        var verified = await VerifyWithJwksAsync(app, token, algorithm);
        var me = await app.Client.PostAsync(Me, authorization: $"JWT {token}");
        var verify = await app.Client.PostAsync(Verify, new { t = token });

        Assert.False(verified.IsValid);
        Assert.Equal(("TOKEN_INVALID", "TOKEN_INVALID"), (me.FirstErrorCode, verify.FirstErrorCode));
        Assert.Null(me.Data("me"));
        Assert.Null(verify.Data("verifyToken"));
    }

    [Fact]
    public async Task KeySetListsCurrentAndPreviousPublicKeysWithCacheHeadersAndNoPrivatePart()
    {
        using var keys = new TestKeys("ES256");
        await using var app = await StartAsync(keys, issuer: "https://auth.example.test");

        using var response = await app.Client.Http.GetAsync(new Uri("/.well-known/jwks.json", UriKind.Relative));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        using var revalidation = new HttpRequestMessage(HttpMethod.Get, new Uri("/.well-known/jwks.json", UriKind.Relative));
        revalidation.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var notModified = await app.Client.Http.SendAsync(revalidation);
        var discovery = JsonNode.Parse(await app.Client.Http.GetStringAsync(new Uri("/.well-known/openid-configuration", UriKind.Relative)))!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("public, max-age=300", response.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        var published = body["keys"]!.AsArray().Select(k => k!).ToList();
        Assert.Equal([CurrentKid, PreviousKid], published.Select(k => k["kid"]!.GetValue<string>()));
        Assert.All(published, k => Assert.Equal(("EC", "P-256", "sig", "ES256"),
            (k["kty"]!.GetValue<string>(), k["crv"]!.GetValue<string>(), k["use"]!.GetValue<string>(), k["alg"]!.GetValue<string>())));
        Assert.All(published, k => Assert.Null(k["d"]));
        Assert.Equal("https://auth.example.test", discovery["issuer"]!.GetValue<string>());
        Assert.Equal("https://auth.example.test/.well-known/jwks.json", discovery["jwks_uri"]!.GetValue<string>());
        Assert.Equal(["ES256"], discovery["id_token_signing_alg_values_supported"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public async Task Hs256ModePublishesNoKey()
    {
        await using var app = await QraftTestApp.StartAsync(QraftTestApp.SharedSettings(azurite.ConnectionString));

        var body = await app.Client.Http.GetStringAsync(new Uri("/.well-known/jwks.json", UriKind.Relative));

        Assert.Equal("""{"keys":[]}""", body);
    }

    private async Task<QraftTestApp> StartAsync(TestKeys keys, string? issuer = null)
    {
        var settings = QraftTestApp.SharedSettings(azurite.ConnectionString);
        settings["Jwt:SigningKey"] = null;
        settings["Jwt:Algorithm"] = keys.Algorithm;
        settings["Jwt:KeyId"] = CurrentKid;
        settings["Jwt:PrivateKey"] = keys.CurrentPrivatePem;
        settings[$"Jwt:PreviousPublicKeys:{PreviousKid}"] = keys.PreviousPublicPem;
        settings["Jwt:Issuer"] = issuer;
        return await QraftTestApp.StartAsync(settings);
    }

    /// <summary>The separate verifier: the JWKS fetched over HTTP, and Microsoft.IdentityModel's checks.</summary>
    private static async Task<TokenValidationResult> VerifyWithJwksAsync(QraftTestApp app, string token, string algorithm)
    {
        var jwks = new JsonWebKeySet(await app.Client.Http.GetStringAsync(new Uri("/.well-known/jwks.json", UriKind.Relative)));
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [algorithm],
            ValidateIssuer = false,
            ValidateAudience = false,
            RequireSignedTokens = true,
            TryAllIssuerSigningKeys = false,
        });
    }

    private static string Forge(string forgery, string genuine, TestKeys keys, string email)
    {
        var parts = genuine.Split('.');
        return forgery switch
        {
            "payload altered after signing" => $"{parts[0]}.{B64(Payload(email, extraSeconds: 86_400))}.{parts[2]}",
            "alg none" => $"{B64("""{"typ":"JWT","alg":"none"}""")}.{parts[1]}.",
            "HS256 signed with the published public key" => Hmac($$"""{"typ":"JWT","alg":"HS256","kid":"{{CurrentKid}}"}""", parts[1], keys.CurrentPublicPem),
            "kid naming no published key" => keys.SignWithStranger($$"""{"typ":"JWT","alg":"{{keys.Algorithm}}","kid":"2099-01"}""", Payload(email)),
            "RS256 header on an ES256 key's kid" or "ES256 header on an RS256 key's kid" =>
                $"{B64($$"""{"typ":"JWT","alg":"{{(keys.Algorithm == "ES256" ? "RS256" : "ES256")}}","kid":"{{CurrentKid}}"}""")}.{parts[1]}.{parts[2]}",
            _ => throw new ArgumentOutOfRangeException(nameof(forgery), forgery, null),
        };
    }

    private static string Payload(string email, long extraSeconds = 0)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return $$"""{"email":"{{email}}","exp":{{now + 300 + extraSeconds}},"origIat":{{now}}}""";
    }

    private static string Hmac(string header, string encodedPayload, string key)
    {
        var input = $"{B64(header)}.{encodedPayload}";
        return $"{input}.{Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.ASCII.GetBytes(input)))}";
    }

    private static string B64(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    /// <summary>The current, a previous and an unpublished key pair, made here with the platform's crypto.</summary>
    private sealed class TestKeys : IDisposable
    {
        private readonly AsymmetricAlgorithm _current;
        private readonly AsymmetricAlgorithm _previous;
        private readonly AsymmetricAlgorithm _stranger;

        public TestKeys(string algorithm)
        {
            Algorithm = algorithm;
            _current = Create();
            _previous = Create();
            _stranger = Create();
        }

        public string Algorithm { get; }

        public string CurrentPrivatePem => _current.ExportPkcs8PrivateKeyPem();

        public string CurrentPublicPem => _current.ExportSubjectPublicKeyInfoPem();

        public string PreviousPublicPem => _previous.ExportSubjectPublicKeyInfoPem();

        public string SignWithPrevious(string algorithm, string kid, string payload) =>
            Sign(_previous, $$"""{"typ":"JWT","alg":"{{algorithm}}","kid":"{{kid}}"}""", payload);

        public string SignWithStranger(string header, string payload) => Sign(_stranger, header, payload);

        public void Dispose()
        {
            _current.Dispose();
            _previous.Dispose();
            _stranger.Dispose();
        }

        private static string Sign(AsymmetricAlgorithm key, string header, string payload)
        {
            var input = Encoding.ASCII.GetBytes($"{B64(header)}.{B64(payload)}");
            var signature = key is ECDsa ecdsa
                ? ecdsa.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
                : ((RSA)key).SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            return $"{Encoding.ASCII.GetString(input)}.{Base64Url.EncodeToString(signature)}";
        }

        private AsymmetricAlgorithm Create() =>
            Algorithm == "ES256" ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : RSA.Create(2048);
    }
}
