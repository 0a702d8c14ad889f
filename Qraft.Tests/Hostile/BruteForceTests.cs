using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Qraft.Security;
using Qraft.Tests.Stack;

namespace Qraft.Tests.Hostile;

/// <summary>
/// Password guessing through HAProxy, round robin over the three replicas (issue 6). Each attacker connects from its
/// own loopback address, so HAProxy's X-Forwarded-For tells it apart from the other stack tests (all 127.0.0.1).
/// The stack runs the default limits (<see cref="LoginThrottleOptions"/>) and a 15-minute window; that throttling
/// expires is shown with a fake clock in LoginThrottlingApiTests.ThirtyWrongPasswordsOverTwoReplicas...WindowExpires.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed partial class BruteForceTests(LocalStackFixture stack)
{
    private const string Login = "mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}";
    private const string Password = "Vivid-Harbor-Lantern-42";
    private static readonly LoginThrottleOptions Limits = new();

    [Fact]
    public async Task GuessingOneAccountIsThrottledAtTheLimitOnEveryReplicaAndThrottledGuessesCostNoHash()
    {
        await stack.WaitUntilAllUpAsync();
        using var attacker = stack.CreateClientFrom(stack.NewLoopbackSource());
        var email = await SignUpAsync(attacker);
        var hashesBefore = await HashCountAsync();

        var attempts = new List<(string? Code, string? ServedBy)>();
        for (var guess = 0; guess < Limits.MaxFailuresPerAccount + 4; guess++)
        {
            attempts.Add(await LoginAsync(attacker, email, $"guess number {guess}"));
        }

        var rightPassword = await LoginAsync(attacker, email, Password);
        var hashesAfter = await HashCountAsync();

        Assert.Equal(Enumerable.Repeat("INVALID_CREDENTIALS", Limits.MaxFailuresPerAccount), attempts.Take(Limits.MaxFailuresPerAccount).Select(a => a.Code));
        Assert.Equal(Enumerable.Repeat("RATE_LIMITED", 4), attempts.Skip(Limits.MaxFailuresPerAccount).Select(a => a.Code));
        Assert.Equal("RATE_LIMITED", rightPassword.Code);
        Assert.Equal(stack.Instances, attempts.Select(a => a.ServedBy).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(Limits.MaxFailuresPerAccount, hashesAfter - hashesBefore);
    }

    [Fact]
    public async Task OneAddressGuessingManyAccountsIsThrottledAtTheAddressLimitAndAForgedForwardedForDoesNotHelp()
    {
        await stack.WaitUntilAllUpAsync();
        using var bystander = stack.CreateClientFrom(stack.NewLoopbackSource());
        var victim = await SignUpAsync(bystander);
        using var attacker = stack.CreateClientFrom(stack.NewLoopbackSource());
        var hashesBefore = await HashCountAsync();

        var codes = new List<string?>();
        for (var guess = 0; guess < Limits.MaxFailuresPerAddress + 2; guess++)
        {
            codes.Add((await LoginAsync(attacker, $"nobody-{Guid.NewGuid():N}@example.com", "guess guess guess")).Code);
        }

        var attackerWithTheRightPassword = await LoginAsync(attacker, victim, Password);
        var forged = await LoginAsync(attacker, $"nobody-{Guid.NewGuid():N}@example.com", "guess guess guess", forwardedFor: "203.0.113.7");
        var hashesDuringAttack = await HashCountAsync() - hashesBefore;
        var victimFromElsewhere = await LoginAsync(bystander, victim, Password);

        Assert.Equal(Enumerable.Repeat("INVALID_CREDENTIALS", Limits.MaxFailuresPerAddress), codes.Take(Limits.MaxFailuresPerAddress));
        Assert.Equal(["RATE_LIMITED", "RATE_LIMITED"], codes.Skip(Limits.MaxFailuresPerAddress));
        Assert.Equal("RATE_LIMITED", attackerWithTheRightPassword.Code);
        Assert.Equal("RATE_LIMITED", forged.Code);
        Assert.Equal(Limits.MaxFailuresPerAddress, hashesDuringAttack);
        Assert.Null(victimFromElsewhere.Code);
    }

    private async Task<string> SignUpAsync(HttpClient client)
    {
        var email = $"victim-{Guid.NewGuid():N}@example.com";
        var (_, body) = await stack.GraphqlAsync(
            "mutation($e:String!,$p:String!){createUser(email:$e,password:$p){user{email}}}", new { e = email, p = Password }, client: client);
        Assert.True(body["errors"] is null, body.ToJsonString());
        return email;
    }

    private async Task<(string? Code, string? ServedBy)> LoginAsync(HttpClient client, string email, string password, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(stack.BaseUri, "/graphql/"))
        {
            Content = JsonContent(new { query = Login, variables = new { e = email, p = password } }),
        };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        var code = body?["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>();
        Assert.True(code is not null || body?["data"]?["login"]?["token"] is not null, body?.ToJsonString());
        return (code, response.Headers.GetValues("X-Served-By").Single());
    }

    /// <summary>Password hashes (and verifications) done by the three replicas together, from their own /metrics.</summary>
    private async Task<double> HashCountAsync()
    {
        using var direct = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        double total = 0;
        foreach (var url in stack.Env["QRAFT_APP_URLS"].Split(','))
        {
            var text = await direct.GetStringAsync(new Uri(new Uri(url), "/metrics"));
            var match = HashCount().Match(text);
            Assert.True(match.Success, $"qraft_password_hash_duration_seconds_count missing from {url}/metrics");
            total += double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        return total;
    }

    private static StringContent JsonContent(object value) =>
        new(System.Text.Json.JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");

    [GeneratedRegex(@"^qraft_password_hash_duration_seconds_count (\S+)$", RegexOptions.Multiline)]
    private static partial Regex HashCount();
}
