using System.Text.Json.Nodes;

namespace Qraft.Tests.Stack;

/// <summary>
/// changePassword, signOutEverywhere and deleteAccount end to end through HAProxy on three replicas (issue 14): a
/// token made through one replica works on all, and an ended session is refused by all once each replica's short
/// account cache (Qraft:UserCacheDuration) has lapsed, which the tests wait for with a bounded poll, never a clock.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class AccountSelfServiceStackTests(LocalStackFixture stack)
{
    private const string CreateUser = "mutation($e:String!,$p:String!){createUser(email:$e,password:$p){user{email}}}";
    private const string Login = "mutation($e:String!,$p:String!){tokenAuth(email:$e,password:$p){token refreshToken}}";
    private const string Me = "{me{email}}";
    private const string Password = "Vivid-Harbor-Lantern-42";
    private const string NewPassword = "Quiet-Meadow-Compass-17";

    /// <summary>Round-robin over three replicas: this many requests reach each one at least twice.</summary>
    private const int RoundsOfRequests = 6;

    [Fact]
    public async Task AChangedPasswordRefusesTheOldTokenOnEveryReplicaAndItsNewTokenWorksOnAll()
    {
        await stack.WaitUntilAllUpAsync();
        var email = await SignUpAsync(Password);
        var (old, _) = await LogInAsync(email, Password);
        Assert.Equal(stack.Instances, await ServedWithAsync(old, email));

        var (changed, body) = await stack.GraphqlAsync(
            "mutation($o:String!,$n:String!){changePassword(oldPassword:$o,newPassword:$n){token refreshToken user{email}}}",
            new { o = Password, n = NewPassword },
            $"JWT {old}");
        var token = body["data"]?["changePassword"]?["token"]?.GetValue<string>();
        Assert.True(token is not null, body.ToJsonString());

        Assert.Equal(stack.Instances, await ServedWithAsync(token, email));
        await RefusedEverywhereAsync(old);
        // From an address of its own, so this one failure uses up no other test's per-address budget.
        using var elsewhere = stack.CreateClientFrom(stack.NewLoopbackSource());
        var (_, relogin) = await stack.GraphqlAsync(Login, new { e = email, p = Password }, client: elsewhere);
        Assert.Equal("INVALID_CREDENTIALS", Code(relogin));
        Assert.NotNull((await LogInAsync(email, NewPassword)).Token);
    }

    [Fact]
    public async Task SigningOutEverywhereRefusesTheOldTokensOnEveryReplica()
    {
        await stack.WaitUntilAllUpAsync();
        var email = await SignUpAsync(Password);
        var (token, refresh) = await LogInAsync(email, Password);
        Assert.Equal(stack.Instances, await ServedWithAsync(token, email));

        var (_, body) = await stack.GraphqlAsync("mutation{signOutEverywhere{ok}}", new { }, $"JWT {token}");
        Assert.True(body["data"]?["signOutEverywhere"]?["ok"]?.GetValue<bool>(), body.ToJsonString());

        await RefusedEverywhereAsync(token);
        var (_, refreshed) = await stack.GraphqlAsync(
            "mutation($r:String!){refreshToken(refreshToken:$r){token}}", new { r = refresh });
        Assert.Equal("TOKEN_INVALID", Code(refreshed));
        var (next, _) = await LogInAsync(email, Password);
        Assert.Equal(stack.Instances, await ServedWithAsync(next, email));
    }

    [Fact]
    public async Task ADeletedAccountIsRefusedEverywhereAndItsEmailSignsUpAgain()
    {
        await stack.WaitUntilAllUpAsync();
        var email = await SignUpAsync(Password);
        var (token, refresh) = await LogInAsync(email, Password);

        var (_, body) = await stack.GraphqlAsync(
            "mutation($p:String!){deleteAccount(password:$p){ok}}", new { p = Password }, $"JWT {token}");
        Assert.True(body["data"]?["deleteAccount"]?["ok"]?.GetValue<bool>(), body.ToJsonString());

        await RefusedEverywhereAsync(token);
        var (_, refreshed) = await stack.GraphqlAsync(
            "mutation($r:String!){refreshToken(refreshToken:$r){token}}", new { r = refresh });
        Assert.Equal("TOKEN_INVALID", Code(refreshed));
        Assert.Equal(email, await SignUpAsync(NewPassword, email));
        var (again, _) = await LogInAsync(email, NewPassword);
        Assert.Equal(stack.Instances, await ServedWithAsync(again, email));
    }

    private async Task<string> SignUpAsync(string password, string? email = null)
    {
        email ??= $"e2e-{Guid.NewGuid():N}@example.com";
        var (_, body) = await stack.GraphqlAsync(CreateUser, new { e = email, p = password });
        return body["data"]?["createUser"]?["user"]?["email"]?.GetValue<string>() ?? throw new InvalidOperationException(body.ToJsonString());
    }

    private async Task<(string Token, string RefreshToken)> LogInAsync(string email, string password)
    {
        var (_, body) = await stack.GraphqlAsync(Login, new { e = email, p = password });
        var login = body["data"]?["tokenAuth"] ?? throw new InvalidOperationException(body.ToJsonString());
        return (login["token"]!.GetValue<string>(), login["refreshToken"]!.GetValue<string>());
    }

    /// <summary>Sends <c>me</c> with the token several rounds over the replicas; every answer must be the account's.</summary>
    private async Task<IReadOnlyList<string>> ServedWithAsync(string token, string email)
    {
        var servedBy = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < RoundsOfRequests; i++)
        {
            var (response, body) = await stack.GraphqlAsync(Me, new { }, $"JWT {token}");
            Assert.True(body["data"]?["me"]?["email"]?.GetValue<string>() == email, body.ToJsonString());
            servedBy.Add(response.Headers.GetValues("X-Served-By").Single());
        }

        return [.. servedBy];
    }

    /// <summary>
    /// Waits, bounded, until a round over all three replicas refuses the token with UNAUTHENTICATED; a replica that
    /// refused once keeps refusing, since it then holds the account as it is now, so a last round must be all refusals.
    /// </summary>
    private async Task RefusedEverywhereAsync(string token)
    {
        await LocalStackFixture.WaitForAsync(
            async () => (await RoundAsync(token)).All(r => r.Code == "UNAUTHENTICATED"),
            TimeSpan.FromSeconds(60),
            "every replica refusing the ended token");

        var last = await RoundAsync(token);
        Assert.All(last, r => Assert.Equal("UNAUTHENTICATED", r.Code));
        Assert.Equal(stack.Instances, last.Select(r => r.ServedBy).Distinct().Order(StringComparer.Ordinal));
    }

    private async Task<List<(string ServedBy, string? Code)>> RoundAsync(string token)
    {
        var round = new List<(string, string?)>();
        for (var i = 0; i < RoundsOfRequests; i++)
        {
            var (response, body) = await stack.GraphqlAsync(Me, new { }, $"JWT {token}");
            round.Add((response.Headers.GetValues("X-Served-By").Single(), Code(body)));
        }

        return round;
    }

    private static string? Code(JsonNode body) => body["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>();
}
