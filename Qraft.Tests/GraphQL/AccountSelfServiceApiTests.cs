using System.Net;
using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.GraphQL;

/// <summary>changePassword, signOutEverywhere and deleteAccount over HTTP on a real app and Azurite: wire shapes and every error's code.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AccountSelfServiceApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string ChangePassword =
        "mutation($o:String!,$n:String!){changePassword(oldPassword:$o,newPassword:$n){token payload refreshExpiresIn refreshToken user{email}}}";

    private const string SignOutEverywhere = "mutation{signOutEverywhere{ok}}";

    private const string DeleteAccount = "mutation($p:String!){deleteAccount(password:$p){ok}}";

    private const string Refresh = "mutation($r:String!){refreshToken(refreshToken:$r){token}}";

    private const string NewPassword = "staple battery horse";

    private QraftTestApp _app = null!;

    private GraphQLClient Client => _app.Client;

    public async Task InitializeAsync() => _app = await QraftTestApp.StartAsync(QraftTestApp.SharedSettings(azurite.ConnectionString));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ChangePasswordAnswersLikeALoginAndTheOldTokensStopWorking()
    {
        var (email, password) = await Client.SignUpAsync();
        var old = (await Client.PostAsync(GraphQLClient.Login, new { email, password })).Data("login")!;

        var changed = await Client.PostAsync(ChangePassword, new { o = password, n = NewPassword }, Jwt(old["token"]!.GetValue<string>()));

        Assert.Equal(HttpStatusCode.OK, changed.Status);
        var payload = changed.Data("changePassword")!;
        Assert.Equal(email, payload["user"]!["email"]!.GetValue<string>());
        Assert.Equal(email, payload["payload"]!["email"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{40}$", payload["refreshToken"]!.GetValue<string>());
        Assert.True(payload["refreshExpiresIn"]!.GetValue<long>() > payload["payload"]!["exp"]!.GetValue<long>());
        Assert.Equal("UNAUTHENTICATED", (await Client.PostAsync("{me{email}}", authorization: Jwt(old["token"]!.GetValue<string>()))).FirstErrorCode);
        Assert.Equal("TOKEN_INVALID", (await Client.PostAsync(Refresh, new { r = old["refreshToken"]!.GetValue<string>() })).FirstErrorCode);
        Assert.Equal(email, (await Client.PostAsync("{me{email}}", authorization: Jwt(payload["token"]!.GetValue<string>()))).Data("me")!["email"]!.GetValue<string>());
        Assert.Equal("INVALID_CREDENTIALS", (await Client.PostAsync(GraphQLClient.Login, new { email, password })).FirstErrorCode);
        Assert.NotNull(await Client.LoginAsync(email, NewPassword));
    }

    [Fact]
    public async Task ChangePasswordErrorsCarryTheLoginsAndTheSignUpsCodes()
    {
        var (email, password) = await Client.SignUpAsync();
        var token = Jwt(await Client.LoginAsync(email, password));
        var signUpWeak = await Client.PostAsync(GraphQLClient.CreateUser, new { email = GraphQLClient.UniqueEmail(), password = "password" });

        var weak = await Client.PostAsync(ChangePassword, new { o = password, n = "password" }, token);
        var wrong = await Client.PostAsync(ChangePassword, new { o = "wrong horse battery", n = NewPassword }, token);
        var anonymous = await Client.PostAsync(ChangePassword, new { o = password, n = NewPassword });
        var forged = await Client.PostAsync(ChangePassword, new { o = password, n = NewPassword }, "JWT not.a.token");

        Assert.Equal("WEAK_PASSWORD", weak.FirstErrorCode);
        Assert.Equal(signUpWeak.FirstErrorMessage, weak.FirstErrorMessage);
        Assert.Equal("INVALID_CREDENTIALS", wrong.FirstErrorCode);
        Assert.Equal("Please enter valid credentials", wrong.FirstErrorMessage);
        Assert.Equal("UNAUTHENTICATED", anonymous.FirstErrorCode);
        Assert.Equal("TOKEN_INVALID", forged.FirstErrorCode);
        Assert.All([weak, wrong, anonymous, forged], r => Assert.Null(r.Data("changePassword")));
        Assert.NotNull(await Client.LoginAsync(email, password));
    }

    [Fact]
    public async Task WrongPasswordsToChangeOrDeleteUseUpTheLoginThrottle()
    {
        var (email, password) = await Client.SignUpAsync();
        var token = Jwt(await Client.LoginAsync(email, password));
        for (var i = 0; i < 5; i++)
        {
            var attempt = i % 2 == 0
                ? await Client.PostAsync(ChangePassword, new { o = "wrong horse battery", n = NewPassword }, token)
                : await Client.PostAsync(DeleteAccount, new { p = "wrong horse battery" }, token);
            Assert.Equal("INVALID_CREDENTIALS", attempt.FirstErrorCode);
        }

        Assert.Equal("RATE_LIMITED", (await Client.PostAsync(ChangePassword, new { o = password, n = NewPassword }, token)).FirstErrorCode);
        Assert.Equal("RATE_LIMITED", (await Client.PostAsync(DeleteAccount, new { p = password }, token)).FirstErrorCode);
        Assert.Equal("RATE_LIMITED", (await Client.PostAsync(GraphQLClient.Login, new { email, password })).FirstErrorCode);
    }

    [Fact]
    public async Task SignOutEverywhereNeedsAValidTokenAndEndsEverySession()
    {
        var (email, password) = await Client.SignUpAsync();
        var first = (await Client.PostAsync(GraphQLClient.Login, new { email, password })).Data("login")!;
        var second = Jwt(await Client.LoginAsync(email, password));

        var anonymous = await Client.PostAsync(SignOutEverywhere);
        var done = await Client.PostAsync(SignOutEverywhere, authorization: Jwt(first["token"]!.GetValue<string>()));

        Assert.Equal("UNAUTHENTICATED", anonymous.FirstErrorCode);
        Assert.True(done.Data("signOutEverywhere")!["ok"]!.GetValue<bool>(), done.Body);
        Assert.Equal("UNAUTHENTICATED", (await Client.PostAsync("{me{email}}", authorization: second)).FirstErrorCode);
        Assert.Equal("UNAUTHENTICATED", (await Client.PostAsync(SignOutEverywhere, authorization: second)).FirstErrorCode);
        Assert.Equal("TOKEN_INVALID", (await Client.PostAsync(Refresh, new { r = first["refreshToken"]!.GetValue<string>() })).FirstErrorCode);
        Assert.NotNull(await Client.LoginAsync(email, password));
    }

    [Fact]
    public async Task DeleteAccountNeedsThePasswordThenFreesTheEmailAndRefusesEveryOldToken()
    {
        var (email, password) = await Client.SignUpAsync();
        var login = (await Client.PostAsync(GraphQLClient.Login, new { email, password })).Data("login")!;
        var token = Jwt(login["token"]!.GetValue<string>());

        var wrong = await Client.PostAsync(DeleteAccount, new { p = "wrong horse battery" }, token);
        var anonymous = await Client.PostAsync(DeleteAccount, new { p = password });
        var deleted = await Client.PostAsync(DeleteAccount, new { p = password }, token);

        Assert.Equal("INVALID_CREDENTIALS", wrong.FirstErrorCode);
        Assert.Equal("UNAUTHENTICATED", anonymous.FirstErrorCode);
        Assert.True(deleted.Data("deleteAccount")!["ok"]!.GetValue<bool>(), deleted.Body);
        Assert.Equal("UNAUTHENTICATED", (await Client.PostAsync("{me{email}}", authorization: token)).FirstErrorCode);
        Assert.Equal("UNAUTHENTICATED", (await Client.PostAsync(DeleteAccount, new { p = password }, token)).FirstErrorCode);
        Assert.Equal("TOKEN_INVALID", (await Client.PostAsync(Refresh, new { r = login["refreshToken"]!.GetValue<string>() })).FirstErrorCode);
        Assert.Equal("INVALID_CREDENTIALS", (await Client.PostAsync(GraphQLClient.Login, new { email, password })).FirstErrorCode);
        await Client.SignUpAsync(email, NewPassword);
        Assert.NotNull(await Client.LoginAsync(email, NewPassword));
    }

    [Fact]
    public async Task NoLogHoldsAPasswordOrTokenOfTheSelfServiceMutations()
    {
        var (email, password) = await Client.SignUpAsync();
        var token = await Client.LoginAsync(email, password);
        var changed = (await Client.PostAsync(ChangePassword, new { o = password, n = NewPassword }, Jwt(token))).Data("changePassword")!;
        var next = changed["token"]!.GetValue<string>();
        await Client.PostAsync(ChangePassword, new { o = "wrong horse battery", n = "another horse battery" }, Jwt(next));
        await Client.PostAsync(SignOutEverywhere, authorization: Jwt(next));
        var last = await Client.LoginAsync(email, NewPassword);
        await Client.PostAsync(DeleteAccount, new { p = "wrong horse battery" }, Jwt(last));
        await Client.PostAsync(DeleteAccount, new { p = NewPassword }, Jwt(last));
        await LogFile.WaitForOperationLinesAsync(_app.LogFolder, 8);

        var everything = LogFile.ReadAll(_app.LogFolder);
        string[] secrets = [password, NewPassword, "wrong horse battery", "another horse battery", token, next, last, changed["refreshToken"]!.GetValue<string>()];
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, everything, StringComparison.Ordinal));
        Assert.Contains("deleteAccount", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASessionEndedOnOneReplicaCannotActOnAnotherThatStillCachesTheAccount()
    {
        var shared = QraftTestApp.SharedSettings(azurite.ConnectionString);
        shared["Qraft:UserCacheDuration"] = "01:00:00";
        await using var one = await QraftTestApp.StartAsync(shared, "one");
        await using var two = await QraftTestApp.StartAsync(shared, "two");
        var (email, password) = await one.Client.SignUpAsync();
        var token = Jwt(await one.Client.LoginAsync(email, password));
        Assert.Equal(email, (await two.Client.PostAsync("{me{email}}", authorization: token)).Data("me")!["email"]!.GetValue<string>());

        Assert.True((await one.Client.PostAsync(SignOutEverywhere, authorization: token)).Data("signOutEverywhere")!["ok"]!.GetValue<bool>());

        // The cached copy on the second replica still lets `me` through (the documented window), but no change.
        Assert.Equal(email, (await two.Client.PostAsync("{me{email}}", authorization: token)).Data("me")!["email"]!.GetValue<string>());
        Assert.Equal("UNAUTHENTICATED", (await two.Client.PostAsync(SignOutEverywhere, authorization: token)).FirstErrorCode);
        Assert.Equal("UNAUTHENTICATED", (await two.Client.PostAsync(ChangePassword, new { o = password, n = NewPassword }, token)).FirstErrorCode);
        Assert.Equal("UNAUTHENTICATED", (await two.Client.PostAsync(DeleteAccount, new { p = password }, token)).FirstErrorCode);
    }

    private static string Jwt(string token) => $"JWT {token}";
}
