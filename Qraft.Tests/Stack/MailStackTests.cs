using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Stack;

/// <summary>The mail flows through HAProxy on the three replicas of local/up, its maildev catching the mail.</summary>
[Collection(LocalStackCollection.Name)]
public sealed class MailStackTests(LocalStackFixture stack)
{
    private const string RequestReset = "mutation($email: String!) { requestPasswordReset(email: $email) { ok } }";
    private const string Reset = "mutation($token: String!, $password: String!) { resetPassword(token: $token, newPassword: $password) { ok } }";
    private const string Verify = "mutation($token: String!) { verifyEmail(token: $token) { ok } }";

    [Fact]
    public async Task AResetLinkWorksOnceAndFailsOnEveryOtherReplica()
    {
        await stack.WaitUntilAllUpAsync();
        using var maildev = new MailDevApi(new Uri(stack.Env["QRAFT_MAILDEV_URL"]));
        var email = $"e2e-mail-{Guid.NewGuid():N}@example.com";
        await stack.GraphqlAsync(GraphQLClient.CreateUser, new { email, password = "correct horse battery" });
        await stack.GraphqlAsync(RequestReset, new { email });

        var mail = await maildev.WaitForMailAsync(email, "Reset your password");
        var token = mail.LinkToken("resetPassword");
        var (used, usedBody) = await stack.GraphqlAsync(Reset, new { token, password = "a brand new passphrase" });
        var firstReplica = used.Headers.GetValues("X-Served-By").Single();
        var refusedBy = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var attempt = 0; attempt < 30 && refusedBy.Count < 2; attempt++)
        {
            var (again, againBody) = await stack.GraphqlAsync(Reset, new { token, password = "yet another passphrase" });
            var replica = again.Headers.GetValues("X-Served-By").Single();
            if (replica != firstReplica)
            {
                refusedBy[replica] = againBody["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>();
            }
        }

        Assert.StartsWith(stack.Env["QRAFT_URL"], mail.Link.ToString(), StringComparison.Ordinal);
        Assert.True(usedBody["data"]?["resetPassword"]?["ok"]?.GetValue<bool>(), usedBody.ToJsonString());
        Assert.Equal(2, refusedBy.Count);
        Assert.All(refusedBy.Values, code => Assert.Equal("TOKEN_INVALID", code));
        var (_, login) = await stack.GraphqlAsync(GraphQLClient.Login, new { email, password = "a brand new passphrase" });
        Assert.NotNull(login["data"]?["login"]?["token"]);
    }

    [Fact]
    public async Task TheVerificationLinkOpensGraphiQLAndVerifiesThroughAnyReplica()
    {
        await stack.WaitUntilAllUpAsync();
        using var maildev = new MailDevApi(new Uri(stack.Env["QRAFT_MAILDEV_URL"]));
        var email = $"e2e-verify-{Guid.NewGuid():N}@example.com";
        await stack.GraphqlAsync(GraphQLClient.CreateUser, new { email, password = "correct horse battery" });

        var mail = await maildev.WaitForMailAsync(email, "Confirm your email");
        using var page = new HttpRequestMessage(HttpMethod.Get, mail.Link);
        page.Headers.Accept.ParseAdd("text/html");
        using var opened = await stack.Https.SendAsync(page);
        var (_, verified) = await stack.GraphqlAsync(Verify, new { token = mail.LinkToken("verifyEmail") });

        Assert.Equal(System.Net.HttpStatusCode.OK, opened.StatusCode);
        Assert.Equal("text/html", opened.Content.Headers.ContentType?.MediaType);
        Assert.True(verified["data"]?["verifyEmail"]?["ok"]?.GetValue<bool>(), verified.ToJsonString());
    }
}
