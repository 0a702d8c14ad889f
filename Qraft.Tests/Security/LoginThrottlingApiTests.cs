using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Security;

/// <summary>Brute force spread over two replicas meets one shared throttle, and throttled attempts cost no hash.</summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class LoginThrottlingApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ThirtyWrongPasswordsOverTwoReplicasThrottleAtTheLimitWithoutHashingThenTheWindowExpires()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var settings = QraftTestApp.SharedSettings(azurite.ConnectionString);
        settings["Qraft:Throttle:MaxFailuresPerAccount"] = "5";
        settings["Qraft:Throttle:MaxFailuresPerAddress"] = "1000";
        settings["Qraft:Throttle:Window"] = "00:15:00";
        await using var one = await QraftTestApp.StartAsync(settings, "one", s => s.AddSingleton<TimeProvider>(time));
        await using var two = await QraftTestApp.StartAsync(settings, "two", s => s.AddSingleton<TimeProvider>(time));
        var (email, password) = await one.Client.SignUpAsync();
        var hashesBefore = await HashCountAsync(one) + await HashCountAsync(two);

        var codes = new List<string?>();
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var replica = attempt % 2 == 0 ? one : two;
            codes.Add((await replica.Client.PostAsync(GraphQLClient.Login, new { email, password = $"wrong {attempt}" })).FirstErrorCode);
        }

        var rightPasswordWhileThrottled = await two.Client.PostAsync(GraphQLClient.Login, new { email, password });
        var hashesAfter = await HashCountAsync(one) + await HashCountAsync(two);

        Assert.Equal(Enumerable.Repeat("INVALID_CREDENTIALS", 5), codes.Take(5));
        Assert.Equal(Enumerable.Repeat("RATE_LIMITED", 25), codes.Skip(5));
        Assert.Equal("RATE_LIMITED", rightPasswordWhileThrottled.FirstErrorCode);
        Assert.Equal(5, hashesAfter - hashesBefore);

        time.Advance(TimeSpan.FromMinutes(16));
        var afterWindow = await one.Client.PostAsync(GraphQLClient.Login, new { email, password });
        Assert.Null(afterWindow.Errors);
    }

    [Fact]
    public async Task OneAddressTryingManyAccountsIsThrottledByAddress()
    {
        var settings = QraftTestApp.SharedSettings(azurite.ConnectionString);
        settings["Qraft:Throttle:MaxFailuresPerAddress"] = "10";
        await using var app = await QraftTestApp.StartAsync(settings);
        var attacker = $"198.51.100.{Random.Shared.Next(1, 254)}";
        var bystander = await app.Client.SignUpAsync();

        var codes = new List<string?>();
        for (var attempt = 0; attempt < 12; attempt++)
        {
            codes.Add((await LoginFromAsync(app, attacker, GraphQLClient.UniqueEmail(), "guess guess guess")).FirstErrorCode);
        }

        var bystanderFromElsewhere = await LoginFromAsync(app, "203.0.113.9", bystander.Email, bystander.Password);

        Assert.Equal(Enumerable.Repeat("INVALID_CREDENTIALS", 10), codes.Take(10));
        Assert.Equal(Enumerable.Repeat("RATE_LIMITED", 2), codes.Skip(10));
        Assert.Null(bystanderFromElsewhere.Errors);
    }

    [Fact]
    public async Task LoginsNamingAnEmailLongerThanATableKeyAreInvalidCredentialsAndStillThrottled()
    {
        // Such a name once reached Table Storage as a key over 1 KiB and came back as INTERNAL (issue 6).
        var settings = QraftTestApp.SharedSettings(azurite.ConnectionString);
        settings["Qraft:Throttle:MaxFailuresPerAccount"] = "3";
        await using var app = await QraftTestApp.StartAsync(settings);
        var email = new string('a', 10_000) + "@example.com";

        var codes = new List<string?>();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            codes.Add((await LoginFromAsync(app, "198.51.100.77", email, new string('p', 5_000))).FirstErrorCode);
        }

        Assert.Equal(["INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "RATE_LIMITED"], codes);
    }

    private static async Task<GqlResponse> LoginFromAsync(QraftTestApp app, string address, string email, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql/")
        {
            Content = new StringContent(
                System.Text.Json.JsonSerializer.Serialize(new { query = GraphQLClient.Login, variables = new { email, password } }),
                Encoding.UTF8,
                "application/json"),
        };
        request.Headers.Add("X-Forwarded-For", address);
        return await app.Client.SendAsync(request);
    }

    private static async Task<double> HashCountAsync(QraftTestApp app)
    {
        var text = await app.Client.Http.GetStringAsync("/metrics");
        var match = HashCount().Match(text);
        Assert.True(match.Success, "qraft_password_hash_duration_seconds_count missing from /metrics");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^qraft_password_hash_duration_seconds_count (\S+)$", RegexOptions.Multiline)]
    private static partial Regex HashCount();
}
