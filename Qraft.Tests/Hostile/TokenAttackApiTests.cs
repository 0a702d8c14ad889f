using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Hostile;

/// <summary>
/// Forged, altered and stale access tokens sent to a real app, on each operation that reads one: <c>me</c> (header),
/// <c>verifyToken</c> and <c>refreshToken(token:)</c> (argument). The reader's own cases are in JwtAccessTokensTests;
/// these show the API turns each into the right SPEC code and never into data.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TokenAttackApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Me = "{ me { email } }";
    private const string Verify = "mutation($t:String!){ verifyToken(token:$t) { payload } }";
    private const string Refresh = "mutation($t:String!){ refreshToken(token:$t) { token payload } }";
    private const string Header = """{"typ":"JWT","alg":"HS256"}""";

    // A public value an attacker can know: an RSA public key as PEM (the RS256 -> HS256 key-confusion attack).
    private const string PublicPem = """
        -----BEGIN PUBLIC KEY-----
        MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo
        4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u
        -----END PUBLIC KEY-----
        """;

    private QraftTestApp _app = null!;
    private string _email = "";
    private string _password = "";

    public async Task InitializeAsync()
    {
        _app = await QraftTestApp.StartAsync(QraftTestApp.SharedSettings(azurite.ConnectionString));
        (_email, _password) = await _app.Client.SignUpAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private byte[] Key => Encoding.UTF8.GetBytes(_app.Settings["Jwt:SigningKey"]!);

    public static TheoryData<string> Attacks => [.. AttackNames];

    private static readonly string[] AttackNames =
    [
        "alg none, no signature",
        "alg none, signed anyway",
        "HS256 signed with a public PEM",
        "HS512 header, signed with the right key",
        "RS256 header, HMAC signature",
        "kid naming no configured key",
        "kid path traversal",
        "email swapped after signing",
        "exp extended after signing",
        "nbf in the future",
        "signature of another token",
        "header with invalid UTF-8 in a string",
        "segment of an impossible base64url length",
    ];

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task ForgedOrAlteredTokenIsTokenInvalidOnEveryOperation(string attack)
    {
        var token = await ForgeAsync(attack);

        var (me, verify, refresh) = await SendEverywhereAsync(token);

        Assert.Equal(("TOKEN_INVALID", "TOKEN_INVALID", "TOKEN_INVALID"), (me.FirstErrorCode, verify.FirstErrorCode, refresh.FirstErrorCode));
        Assert.All([me, verify, refresh], r => Assert.Equal("Error decoding signature", r.FirstErrorMessage));
        Assert.Null(me.Data("me"));
        Assert.Null(verify.Data("verifyToken"));
        Assert.Null(refresh.Data("refreshToken"));
    }

    [Fact]
    public async Task ExpiredTokenSignedWithTheRightKeyIsTokenExpiredOnEveryOperation()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var token = Sign(Header, $$"""{"email":"{{_email}}","exp":{{now - 10}},"origIat":{{now - 310}}}""", Key);

        var (me, verify, refresh) = await SendEverywhereAsync(token);

        Assert.Equal(("TOKEN_EXPIRED", "TOKEN_EXPIRED", "TOKEN_EXPIRED"), (me.FirstErrorCode, verify.FirstErrorCode, refresh.FirstErrorCode));
        Assert.All([me, verify, refresh], r => Assert.Equal("Signature has expired", r.FirstErrorMessage));
    }

    [Fact]
    public async Task ControlTokenSignedLikeTheForgeriesIsAccepted()
    {
        // Shows the attacks fail for their defect, not because this class signs tokens wrongly.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var token = Sign(Header, $$"""{"email":"{{_email}}","exp":{{now + 300}},"origIat":{{now}}}""", Key);

        var (me, verify, refresh) = await SendEverywhereAsync(token);

        Assert.Equal(_email, me.Data("me")!["email"]!.GetValue<string>());
        Assert.Equal(_email, verify.Data("verifyToken")!["payload"]!["email"]!.GetValue<string>());
        Assert.Equal(_email, refresh.Data("refreshToken")!["payload"]!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task ValidlySignedTokenForAnEmailWithNoAccountGrantsNothing()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var token = Sign(Header, $$"""{"email":"{{GraphQLClient.UniqueEmail()}}","exp":{{now + 300}},"origIat":{{now}}}""", Key);

        var (me, verify, refresh) = await SendEverywhereAsync(token);

        Assert.Equal(("UNAUTHENTICATED", "TOKEN_INVALID", "TOKEN_INVALID"), (me.FirstErrorCode, verify.FirstErrorCode, refresh.FirstErrorCode));
    }

    [Fact]
    public async Task TokenOfADeletedAccountGrantsNothing()
    {
        var token = await _app.Client.LoginAsync(_email, _password);
        await DeleteAllUsersAsync();

        var (me, verify, refresh) = await SendEverywhereAsync(token);

        Assert.Equal(("UNAUTHENTICATED", "TOKEN_INVALID", "TOKEN_INVALID"), (me.FirstErrorCode, verify.FirstErrorCode, refresh.FirstErrorCode));
        Assert.Null(refresh.Data("refreshToken"));
    }

    [Fact]
    public async Task RefreshTokenOfADeletedAccountIsRefusedAndStaysRevoked()
    {
        const string Rotate = "mutation($r:String!){ refreshToken(refreshToken:$r) { token refreshToken } }";
        var login = await _app.Client.PostAsync(GraphQLClient.Login, new { email = _email, password = _password });
        var refreshToken = login.Data("login")!["refreshToken"]!.GetValue<string>();
        await DeleteAllUsersAsync();

        var refused = await _app.Client.PostAsync(Rotate, new { r = refreshToken });
        await _app.Client.SignUpAsync(_email, _password);
        var afterReRegistration = await _app.Client.PostAsync(Rotate, new { r = refreshToken });

        Assert.Equal(("TOKEN_INVALID", "Invalid refresh token"), (refused.FirstErrorCode, refused.FirstErrorMessage));
        Assert.Null(refused.Data("refreshToken"));
        Assert.Equal("TOKEN_INVALID", afterReRegistration.FirstErrorCode);
        Assert.Null(afterReRegistration.Data("refreshToken"));
    }

    private async Task DeleteAllUsersAsync()
    {
        var users = new TableClient(azurite.ConnectionString, _app.Settings["Qraft:Storage:TablePrefix"] + "users");
        await foreach (var row in users.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
        {
            await users.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }
    }

    private async Task<(GqlResponse Me, GqlResponse Verify, GqlResponse Refresh)> SendEverywhereAsync(string token) =>
        (await _app.Client.PostAsync(Me, authorization: $"JWT {token}"),
         await _app.Client.PostAsync(Verify, new { t = token }),
         await _app.Client.PostAsync(Refresh, new { t = token }));

    private async Task<string> ForgeAsync(string attack)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = $$"""{"email":"{{_email}}","exp":{{now + 300}},"origIat":{{now}}}""";
        return attack switch
        {
            "alg none, no signature" => $"{B64("""{"typ":"JWT","alg":"none"}""")}.{B64(payload)}.",
            "alg none, signed anyway" => Sign("""{"typ":"JWT","alg":"none"}""", payload, Key),
            "HS256 signed with a public PEM" => Sign(Header, payload, Encoding.UTF8.GetBytes(PublicPem)),
            "HS512 header, signed with the right key" => Sign("""{"typ":"JWT","alg":"HS512"}""", payload, Key, HMACSHA512.HashData),
            "RS256 header, HMAC signature" => Sign("""{"typ":"JWT","alg":"RS256"}""", payload, Key),
            "kid naming no configured key" => Sign("""{"typ":"JWT","alg":"HS256","kid":"2020-01"}""", payload, Key),
            "kid path traversal" => Sign("""{"typ":"JWT","alg":"HS256","kid":"../../../../dev/null"}""", payload, Key),
            "email swapped after signing" => Swap(await _app.Client.LoginAsync(_email, _password), (await _app.Client.SignUpAsync()).Email),
            "exp extended after signing" => ExtendExp(await _app.Client.LoginAsync(_email, _password)),
            "nbf in the future" => Sign(Header, $$"""{"email":"{{_email}}","exp":{{now + 300}},"origIat":{{now}},"nbf":{{now + 120}}}""", Key),
            "signature of another token" => $"{B64(Header)}.{B64(payload)}.{Sign(Header, payload.Replace("\"exp\":", "\"exp\": ", StringComparison.Ordinal), Key).Split('.')[2]}",
            "header with invalid UTF-8 in a string" => Sign([.. "{\"typ\":\"JWT\",\"alg\":\"HS256\",\"kid\":\""u8, 0xFF, .. "\"}"u8], payload, Key),
            "segment of an impossible base64url length" => $"eyJhb.{B64(payload)}.{Sign(Header, payload, Key).Split('.')[2]}",
            _ => throw new ArgumentOutOfRangeException(nameof(attack), attack, null),
        };
    }

    private static string Swap(string token, string otherEmail)
    {
        var parts = token.Split('.');
        var claims = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
        var email = System.Text.Json.JsonDocument.Parse(claims).RootElement.GetProperty("email").GetString()!;
        return $"{parts[0]}.{B64(claims.Replace(email, otherEmail, StringComparison.Ordinal))}.{parts[2]}";
    }

    private static string ExtendExp(string token)
    {
        var parts = token.Split('.');
        var claims = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
        var extended = System.Text.RegularExpressions.Regex.Replace(claims, "\"exp\":(\\d+)", m => $"\"exp\":{long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 86_400}");
        Assert.NotEqual(claims, extended);
        return $"{parts[0]}.{B64(extended)}.{parts[2]}";
    }

    private static string Sign(string header, string payload, byte[] key, Func<byte[], byte[], byte[]>? mac = null) =>
        Sign(Encoding.UTF8.GetBytes(header), payload, key, mac);

    private static string Sign(byte[] header, string payload, byte[] key, Func<byte[], byte[], byte[]>? mac = null)
    {
        var input = $"{Base64Url.EncodeToString(header)}.{B64(payload)}";
        return $"{input}.{Base64Url.EncodeToString((mac ?? HMACSHA256.HashData)(key, Encoding.ASCII.GetBytes(input)))}";
    }

    private static string B64(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
