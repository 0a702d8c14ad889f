using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.GraphQL;

/// <summary>
/// Verification and password reset end to end: the app on Azurite sends through MailKit to a real maildev, the test
/// reads the mail from maildev's API and follows the link (takes its token to the mutation the link names).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class MailFlowTests(AzuriteFixture azurite, MailFixture mail) : IClassFixture<MailFixture>
{
    private const string Verify = "mutation($token: String!) { verifyEmail(token: $token) { ok } }";
    private const string RequestReset = "mutation($email: String!) { requestPasswordReset(email: $email) { ok } }";
    private const string Reset = "mutation($token: String!, $password: String!) { resetPassword(token: $token, newPassword: $password) { ok } }";
    private const string Resend = "mutation($email: String!) { resendVerification(email: $email) { ok } }";

    [Fact]
    public async Task SignUpMailsAVerificationLinkThatVerifiesTheAddressOnce()
    {
        await using var app = await StartAsync();
        var (email, password) = await app.Client.SignUpAsync();
        var token = await app.Client.LoginAsync(email, password);
        Assert.False(await EmailVerifiedAsync(app, token));

        var link = (await mail.MailDev.Api.WaitForMailAsync(email, "Confirm your email")).LinkToken("verifyEmail");
        var first = await app.Client.PostAsync(Verify, new { token = link });
        var second = await app.Client.PostAsync(Verify, new { token = link });

        Assert.True(first.Data("verifyEmail")!["ok"]!.GetValue<bool>(), first.Body);
        Assert.True(await EmailVerifiedAsync(app, token));
        Assert.Equal("TOKEN_INVALID", second.FirstErrorCode);
    }

    private const string Me = "{ me { email } }";
    private const string RotateRefresh = "mutation($refreshToken: String!) { refreshToken(refreshToken: $refreshToken) { token } }";

    [Fact]
    public async Task AResetLinkSetsTheNewPasswordAndUsedTwiceFailsOnTheOtherReplica()
    {
        // No account copies, so the other replica sees the reset at once rather than after the cache window.
        var shared = Settings(new() { ["Qraft:UserCacheDuration"] = "00:00:00" });
        await using var one = await QraftTestApp.StartAsync(shared, "one");
        await using var two = await QraftTestApp.StartAsync(shared, "two");
        var (email, oldPassword) = await one.Client.SignUpAsync();
        var before = (await two.Client.PostAsync(GraphQLClient.Login, new { email, password = oldPassword })).Data("login")!;
        var oldAccess = $"JWT {before["token"]!.GetValue<string>()}";
        Assert.Equal(email, (await two.Client.PostAsync(Me, authorization: oldAccess)).Data("me")!["email"]!.GetValue<string>());

        Assert.True((await one.Client.PostAsync(RequestReset, new { email })).Data("requestPasswordReset")!["ok"]!.GetValue<bool>());
        var link = (await mail.MailDev.Api.WaitForMailAsync(email, "Reset your password")).LinkToken("resetPassword");
        var reset = await one.Client.PostAsync(Reset, new { token = link, password = "a brand new passphrase" });
        var again = await two.Client.PostAsync(Reset, new { token = link, password = "yet another passphrase" });

        Assert.True(reset.Data("resetPassword")!["ok"]!.GetValue<bool>(), reset.Body);
        Assert.Equal("TOKEN_INVALID", again.FirstErrorCode);
        Assert.Equal("INVALID_CREDENTIALS", (await two.Client.PostAsync(GraphQLClient.Login, new { email, password = oldPassword })).FirstErrorCode);

        // The reset ended every session the old password had opened, on every replica.
        Assert.Equal("UNAUTHENTICATED", (await two.Client.PostAsync(Me, authorization: oldAccess)).FirstErrorCode);
        var oldRefresh = await two.Client.PostAsync(RotateRefresh, new { refreshToken = before["refreshToken"]!.GetValue<string>() });
        Assert.Equal("TOKEN_INVALID", oldRefresh.FirstErrorCode);

        var fresh = await two.Client.LoginAsync(email, "a brand new passphrase");
        Assert.Equal(email, (await two.Client.PostAsync(Me, authorization: $"JWT {fresh}")).Data("me")!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task AResetForAnUnknownAddressAnswersAsForAKnownOneAndMailsNothing()
    {
        await using var app = await StartAsync();
        var (known, _) = await app.Client.SignUpAsync();
        var unknown = GraphQLClient.UniqueEmail();

        var forUnknown = await app.Client.PostAsync(RequestReset, new { email = unknown });
        var forKnown = await app.Client.PostAsync(RequestReset, new { email = known });
        await mail.MailDev.Api.WaitForMailAsync(known, "Reset your password");

        Assert.Equal(forKnown.Body, forUnknown.Body);
        Assert.DoesNotContain(await mail.MailDev.Api.AllAsync(), m => m.To.Any(to => to.Address == unknown));
    }

    [Fact]
    public async Task WithVerificationRequiredLoginIsRefusedUntilTheLinkIsFollowed()
    {
        await using var app = await StartAsync(new() { ["Qraft:RequireVerifiedEmail"] = "true" });
        var (email, password) = await app.Client.SignUpAsync();

        var refused = await app.Client.PostAsync(GraphQLClient.Login, new { email, password });
        Assert.Equal("EMAIL_NOT_VERIFIED", refused.FirstErrorCode);

        Assert.True((await app.Client.PostAsync(Resend, new { email })).Data("resendVerification")!["ok"]!.GetValue<bool>());
        var mails = await mail.MailDev.Api.WaitForMailsAsync(email, "Confirm your email", 2);
        foreach (var verification in mails)
        {
            Assert.True((await app.Client.PostAsync(Verify, new { token = verification.LinkToken("verifyEmail") })).Data("verifyEmail") is not null);
        }

        await app.Client.LoginAsync(email, password);
    }

    [Fact]
    public async Task ResetRequestsAreThrottledPerAddressAskedAbout()
    {
        await using var app = await StartAsync(new() { ["Qraft:Throttle:MaxFailuresPerAccount"] = "2" });
        var (email, password) = await app.Client.SignUpAsync();

        var answers = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add((await app.Client.PostAsync(RequestReset, new { email })).FirstErrorCode);
        }

        Assert.Equal([null, null, "RATE_LIMITED"], answers);
        await app.Client.LoginAsync(email, password);
    }

    [Fact]
    public async Task NoMailedTokenReachesTheLog()
    {
        await using var app = await StartAsync();
        var (email, _) = await app.Client.SignUpAsync();
        await app.Client.PostAsync(RequestReset, new { email });
        var verification = (await mail.MailDev.Api.WaitForMailAsync(email, "Confirm your email")).LinkToken("verifyEmail");
        var reset = (await mail.MailDev.Api.WaitForMailAsync(email, "Reset your password")).LinkToken("resetPassword");
        await app.Client.PostAsync(Verify, new { token = verification });
        await app.Client.PostAsync(Reset, new { token = reset, password = "a brand new passphrase" });
        await LogFile.WaitForOperationLinesAsync(app.LogFolder, 4);

        var log = LogFile.ReadAll(app.LogFolder);
        Assert.Contains("resetPassword", log, StringComparison.Ordinal);
        Assert.DoesNotContain(verification, log, StringComparison.Ordinal);
        Assert.DoesNotContain(reset, log, StringComparison.Ordinal);
        Assert.DoesNotContain("a brand new passphrase", log, StringComparison.Ordinal);
    }

    private Dictionary<string, string?> Settings(Dictionary<string, string?>? extra = null)
    {
        var settings = QraftTestApp.SharedSettings(azurite.ConnectionString);
        foreach (var (key, value) in mail.MailDev.Settings().Concat(extra ?? []))
        {
            settings[key] = value;
        }

        return settings;
    }

    private Task<QraftTestApp> StartAsync(Dictionary<string, string?>? extra = null) => QraftTestApp.StartAsync(Settings(extra));

    private static async Task<bool> EmailVerifiedAsync(QraftTestApp app, string token) =>
        (await app.Client.PostAsync("{ me { emailVerified } }", authorization: $"JWT {token}")).Data("me")!["emailVerified"]!.GetValue<bool>();
}
