using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.GraphQL;

/// <summary>The original service's operations and wire shapes (SPEC §3 compatibility), on a real app and Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class OriginalApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private QraftTestApp _app = null!;

    private GraphQLClient Client => _app.Client;

    public async Task InitializeAsync() => _app = await QraftTestApp.StartAsync(QraftTestApp.SharedSettings(azurite.ConnectionString));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task CreateUserReturnsEmailDjangoHashAndDateJoined()
    {
        var email = GraphQLClient.UniqueEmail();
        var response = await Client.PostAsync(
            """mutation { createUser(email: "EMAIL", password: "testpassword") { user { email password dateJoined } } }""".Replace("EMAIL", email, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/json", response.ContentType?.MediaType);
        var user = response.Data("createUser")!["user"]!;
        Assert.Equal(email, user["email"]!.GetValue<string>());
        Assert.Matches(DjangoHash(), user["password"]!.GetValue<string>());
        Assert.Matches(PythonIsoFormat(), user["dateJoined"]!.GetValue<string>());
        Assert.Contains("+00:00\"", response.Body, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task LoginReturnsHs256TokenWithExactlyEmailExpOrigIat()
    {
        var (email, password) = await Client.SignUpAsync();

        var response = await Client.PostAsync(GraphQLClient.Login, new { email, password });

        var login = response.Data("login")!;
        var token = login["token"]!.GetValue<string>();
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        Assert.Equal("""{"typ":"JWT","alg":"HS256"}""", Base64UrlText(parts[0]));
        var payload = Base64UrlText(parts[1]);
        Assert.Matches("""^\{"email":"[^"]+","exp":\d+,"origIat":\d+\}$""", payload);
        using var claims = JsonDocument.Parse(payload);
        Assert.Equal(email, claims.RootElement.GetProperty("email").GetString());
        Assert.Equal(300, claims.RootElement.GetProperty("exp").GetInt64() - claims.RootElement.GetProperty("origIat").GetInt64());
        Assert.Equal(payload, login["payload"]!.ToJsonString());
    }

    [Fact]
    public async Task LoginWithAValidTokenAlreadyInTheHeaderGetsTheOriginalKoreanError()
    {
        var (email, password) = await Client.SignUpAsync();
        var token = await Client.LoginAsync(email, password);

        var response = await Client.PostAsync(
            "mutation($email:String!,$password:String!){login(email:$email,password:$password){token payload}}",
            new { email, password },
            authorization: $"JWT {token}");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(
            $$$"""{"errors":[{"message":"이미 {{{email}}}로 로그인 하였습니다.(로그인 시도한 계정: {{{email}}})","locations":[{"line":1,"column":44}],"path":["login"],"extensions":{"code":"ALREADY_LOGGED_IN"}}],"data":{"login":null}}""",
            response.Body);
    }

    [Fact]
    public async Task KoreanErrorNamesTheTokenEmailFirstAndTheAttemptedEmailSecond()
    {
        var first = await Client.SignUpAsync();
        var second = await Client.SignUpAsync();
        var token = await Client.LoginAsync(first.Email, first.Password);

        var response = await Client.PostAsync(
            GraphQLClient.Login, new { email = second.Email, password = second.Password }, authorization: $"Bearer {token}");

        Assert.Equal("ALREADY_LOGGED_IN", response.FirstErrorCode);
        Assert.Equal($"이미 {first.Email}로 로그인 하였습니다.(로그인 시도한 계정: {second.Email})", response.FirstErrorMessage);
    }

    [Fact]
    public async Task CredentialsAreCheckedBeforeTheExistingSession()
    {
        var (email, password) = await Client.SignUpAsync();
        var token = await Client.LoginAsync(email, password);

        var response = await Client.PostAsync(GraphQLClient.Login, new { email, password = "wrong password!" }, authorization: $"JWT {token}");

        Assert.Equal("INVALID_CREDENTIALS", response.FirstErrorCode);
    }

    [Theory]
    [InlineData("JWT not-a-token")]
    [InlineData("JWT eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJlbWFpbCI6ImFAYi5jbyIsImV4cCI6MTAwMCwib3JpZ0lhdCI6NzAwfQ.c2lnbmF0dXJl")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task AnInvalidOrExpiredHeaderTokenDoesNotBlockAFreshLogin(string header)
    {
        var (email, password) = await Client.SignUpAsync();

        var response = await Client.PostAsync(GraphQLClient.Login, new { email, password }, authorization: header);

        Assert.Null(response.Errors);
        Assert.NotNull(response.Data("login")!["token"]);
    }

    [Fact]
    public async Task AnExpiredHeaderTokenDoesNotBlockAFreshLoginButMeSaysItExpired()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await QraftTestApp.StartAsync(
            QraftTestApp.SharedSettings(azurite.ConnectionString), services: s => s.AddSingleton<TimeProvider>(time));
        var (email, password) = await app.Client.SignUpAsync();
        var token = await app.Client.LoginAsync(email, password);
        time.Advance(TimeSpan.FromMinutes(6));

        var me = await app.Client.PostAsync("{ me { email } }", authorization: $"JWT {token}");
        var login = await app.Client.PostAsync(GraphQLClient.Login, new { email, password }, authorization: $"JWT {token}");

        Assert.Equal("TOKEN_EXPIRED", me.FirstErrorCode);
        Assert.Equal("Signature has expired", me.FirstErrorMessage);
        Assert.Null(login.Errors);
        Assert.NotEqual(token, login.Data("login")!["token"]!.GetValue<string>());
    }

    [Fact]
    public async Task StaffListUsersPageByPageWithHashesHiddenExceptTheirOwn()
    {
        var staff = GraphQLClient.UniqueEmail("staff.example");
        var settings = QraftTestApp.SharedSettings(azurite.ConnectionString);
        settings["Qraft:StaffEmails:0"] = staff.ToUpperInvariant();
        await using var app = await QraftTestApp.StartAsync(settings);
        await app.Client.SignUpAsync(staff);
        var others = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            others.Add((await app.Client.SignUpAsync()).Email);
        }

        var token = await app.Client.LoginAsync(staff, "correct horse battery");
        const string Users = "query($first:Int,$after:String){ users(first:$first, after:$after) { email password } }";
        var firstPage = (await app.Client.PostAsync(Users, new { first = 2 }, $"JWT {token}")).Data("users")!.AsArray();
        var after = firstPage[^1]!["email"]!.GetValue<string>();
        var secondPage = (await app.Client.PostAsync(Users, new { first = 10, after }, $"JWT {token}")).Data("users")!.AsArray();

        var listed = firstPage.Concat(secondPage).Select(u => u!["email"]!.GetValue<string>()).ToList();
        Assert.Equal(2, firstPage.Count);
        Assert.Equal(others.Append(staff).Order(StringComparer.Ordinal), listed);
        foreach (var user in firstPage.Concat(secondPage))
        {
            var isStaff = user!["email"]!.GetValue<string>() == staff;
            Assert.Equal(isStaff, user["password"] is not null);
        }
    }

    [Fact]
    public async Task TokenAuthIgnoresTheHeaderAsDjangoGraphqlJwtDoes()
    {
        var (email, password) = await Client.SignUpAsync();
        var token = await Client.LoginAsync(email, password);

        var response = await Client.PostAsync(
            "mutation($email:String!,$password:String!){tokenAuth(email:$email,password:$password){token}}",
            new { email, password },
            authorization: $"JWT {token}");

        Assert.Null(response.Errors);
        Assert.NotNull(response.Data("tokenAuth")!["token"]);
    }

    [Fact]
    public async Task WrongPasswordAndUnknownEmailGiveTheSameError()
    {
        var (email, _) = await Client.SignUpAsync();

        var wrongPassword = await Client.PostAsync(GraphQLClient.Login, new { email, password = "not the password" });
        var unknownEmail = await Client.PostAsync(GraphQLClient.Login, new { email = GraphQLClient.UniqueEmail(), password = "not the password" });

        foreach (var response in new[] { wrongPassword, unknownEmail })
        {
            Assert.Equal(HttpStatusCode.OK, response.Status);
            Assert.Equal("INVALID_CREDENTIALS", response.FirstErrorCode);
            Assert.Equal("Please enter valid credentials", response.FirstErrorMessage);
            Assert.Equal("""{"login":null}""", response.Json!["data"]!.ToJsonString());
        }
    }

    [Fact]
    public async Task SigningUpTwiceWithTheSameEmailInAnyCaseIsRefused()
    {
        var (email, password) = await Client.SignUpAsync();

        var response = await Client.PostAsync(GraphQLClient.CreateUser, new { email = email.ToUpperInvariant(), password });

        Assert.Equal("EMAIL_TAKEN", response.FirstErrorCode);
    }

    [Theory]
    [InlineData("not-an-email", "correct horse battery", "INVALID_EMAIL")]
    [InlineData("VALID", "short", "WEAK_PASSWORD")]
    [InlineData("VALID", "12345678901", "WEAK_PASSWORD")]
    [InlineData("VALID", "password", "WEAK_PASSWORD")]
    public async Task BadSignUpInputGetsItsCode(string email, string password, string code)
    {
        var response = await Client.PostAsync(
            GraphQLClient.CreateUser, new { email = email == "VALID" ? GraphQLClient.UniqueEmail() : email, password });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(code, response.FirstErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(response.FirstErrorMessage));
    }

    [Fact]
    public async Task MeWithoutATokenAnswersNotLoggedIn()
    {
        var response = await Client.PostAsync("{ me { email } }");

        Assert.Equal("Not logged in!", response.FirstErrorMessage);
        Assert.Equal("UNAUTHENTICATED", response.FirstErrorCode);
    }

    [Fact]
    public async Task MeWithATokenShowsTheCallersOwnRecordWithItsHash()
    {
        var (email, password) = await Client.SignUpAsync();
        var token = await Client.LoginAsync(email, password);

        var response = await Client.PostAsync("{ me { id email password lastLogin dateJoined } }", authorization: $"JWT {token}");

        var me = response.Data("me")!;
        Assert.Equal(email, me["email"]!.GetValue<string>());
        Assert.Matches(DjangoHash(), me["password"]!.GetValue<string>());
        Assert.Matches(PythonIsoFormat(), me["lastLogin"]!.GetValue<string>());
    }

    [Fact]
    public async Task UsersIsRefusedToAnonymousAndNonStaffCallers()
    {
        var (email, password) = await Client.SignUpAsync();
        var token = await Client.LoginAsync(email, password);

        var anonymous = await Client.PostAsync("{ users { email } }");
        var member = await Client.PostAsync("{ users { email } }", authorization: $"JWT {token}");

        Assert.Equal("UNAUTHENTICATED", anonymous.FirstErrorCode);
        Assert.Equal("FORBIDDEN", member.FirstErrorCode);
    }

    [Fact]
    public async Task VerifyTokenReturnsThePayloadAndRejectsForgeries()
    {
        var (email, password) = await Client.SignUpAsync();
        var token = await Client.LoginAsync(email, password);
        const string Verify = "mutation($token:String!){verifyToken(token:$token){payload}}";

        var valid = await Client.PostAsync(Verify, new { token });
        var tampered = await Client.PostAsync(Verify, new { token = token[..^2] + (token[^2] == 'A' ? "BB" : "AA") });

        Assert.Equal(email, valid.Data("verifyToken")!["payload"]!["email"]!.GetValue<string>());
        Assert.Equal("TOKEN_INVALID", tampered.FirstErrorCode);
        Assert.Equal("Error decoding signature", tampered.FirstErrorMessage);
    }

    [Fact]
    public async Task RefreshInTokenModeKeepsOrigIat()
    {
        var (email, password) = await Client.SignUpAsync();
        var login = (await Client.PostAsync(GraphQLClient.Login, new { email, password })).Data("login")!;

        var refreshed = await Client.PostAsync(
            "mutation($token:String!){refreshToken(token:$token){token payload refreshExpiresIn}}", new { token = login["token"]!.GetValue<string>() });

        var payload = refreshed.Data("refreshToken")!["payload"]!;
        Assert.Equal(login["payload"]!["origIat"]!.GetValue<long>(), payload["origIat"]!.GetValue<long>());
        Assert.Equal(payload["origIat"]!.GetValue<long>() + 604800, refreshed.Data("refreshToken")!["refreshExpiresIn"]!.GetValue<long>());
    }

    [Fact]
    public async Task RefreshTokenRotatesAndTheOldOneStopsWorkingThenRevokeWorks()
    {
        var (email, password) = await Client.SignUpAsync();
        var first = (await Client.PostAsync(GraphQLClient.Login, new { email, password })).Data("login")!["refreshToken"]!.GetValue<string>();
        const string Refresh = "mutation($r:String!){refreshToken(refreshToken:$r){token refreshToken refreshExpiresIn}}";

        var rotated = await Client.PostAsync(Refresh, new { r = first });
        var second = rotated.Data("refreshToken")!["refreshToken"]!.GetValue<string>();
        var reused = await Client.PostAsync(Refresh, new { r = first });
        var afterReuse = await Client.PostAsync(Refresh, new { r = second });

        Assert.NotEqual(first, second);
        Assert.Equal("TOKEN_INVALID", reused.FirstErrorCode);
        Assert.Equal("TOKEN_INVALID", afterReuse.FirstErrorCode);

        var fresh = (await Client.PostAsync(GraphQLClient.Login, new { email, password })).Data("login")!["refreshToken"]!.GetValue<string>();
        var revoked = await Client.PostAsync("mutation($r:String!){revokeToken(refreshToken:$r){revoked}}", new { r = fresh });
        var afterRevoke = await Client.PostAsync(Refresh, new { r = fresh });
        Assert.True(revoked.Data("revokeToken")!["revoked"]!.GetValue<long>() > 1_700_000_000);
        Assert.Equal("TOKEN_INVALID", afterRevoke.FirstErrorCode);
    }

    [Fact]
    public async Task EveryResponseSaysWhichReplicaServedIt()
    {
        var graphql = await Client.PostAsync("{ __typename }");
        using var health = await Client.Http.GetAsync("/health");

        Assert.Equal("test", Assert.Single(graphql.Headers.GetValues("X-Served-By")));
        Assert.Equal("test", Assert.Single(health.Headers.GetValues("X-Served-By")));
    }

    private static string Base64UrlText(string part) => Encoding.UTF8.GetString(Base64UrlDecode(part));

    private static byte[] Base64UrlDecode(string part)
    {
        var padded = part.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    [GeneratedRegex(@"^pbkdf2_sha256\$\d+\$[A-Za-z0-9]{22}\$[A-Za-z0-9+/]{43}=$")]
    private static partial Regex DjangoHash();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$")]
    private static partial Regex PythonIsoFormat();
}
