using Qraft.GraphQL.Errors;
using Qraft.Tests.Fakes;

namespace Qraft.Tests.GraphQL;

/// <summary>
/// Unit tests of the resolvers' session rules (<see cref="Qraft.GraphQL.AuthResolvers"/>) on in-memory stores: which
/// token or account state gives which coded error. The same rules through HTTP and Azurite are in OriginalApiTests
/// and TokenAttackApiTests.
/// </summary>
public sealed class SessionRulesTests : IDisposable
{
    private const string Password = "correct horse battery";

    private readonly InMemoryAccounts _accounts = new();

    public void Dispose() => _accounts.Dispose();

    [Fact]
    public async Task LoginWithAValidTokenInTheHeaderIsRefusedAfterTheCredentialsAreChecked()
    {
        await _accounts.SignUpAsync("ann@example.com");
        await _accounts.SignUpAsync("bob@example.com");
        var header = $"JWT {_accounts.AccessTokens.Issue("ann@example.com").Token}";

        var refused = await Assert.ThrowsAsync<AlreadyLoggedInError>(() => LoginAsync(header, "bob@example.com", Password, refuseIfLoggedIn: true));
        await Assert.ThrowsAsync<InvalidCredentialsError>(() => LoginAsync(header, "bob@example.com", "wrong password", refuseIfLoggedIn: true));

        Assert.Equal("이미 ann@example.com로 로그인 하였습니다.(로그인 시도한 계정: bob@example.com)", refused.Message);
        Assert.Equal("ALREADY_LOGGED_IN", refused.Code);
    }

    [Fact]
    public async Task TokenAuthAndAnExpiredHeaderTokenDoNotBlockAFreshLogin()
    {
        await _accounts.SignUpAsync("ann@example.com");
        var valid = $"JWT {_accounts.AccessTokens.Issue("ann@example.com").Token}";

        var viaTokenAuth = await LoginAsync(valid, "ann@example.com", Password, refuseIfLoggedIn: false);
        _accounts.Time.Advance(TimeSpan.FromMinutes(6));
        var afterExpiry = await LoginAsync(valid, "ann@example.com", Password, refuseIfLoggedIn: true);

        Assert.Equal("ann@example.com", viaTokenAuth.Payload["email"]);
        Assert.Equal("ann@example.com", afterExpiry.Payload["email"]);
        Assert.Equal(_accounts.Time.GetUtcNow().ToUnixTimeSeconds() + 300, afterExpiry.Payload["exp"]);
    }

    [Fact]
    public async Task AThrottledLoginIsRateLimited()
    {
        await _accounts.SignUpAsync("ann@example.com");
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<InvalidCredentialsError>(() => LoginAsync(null, "ann@example.com", "wrong password", refuseIfLoggedIn: true));
        }

        await Assert.ThrowsAsync<RateLimitedError>(() => LoginAsync(null, "ann@example.com", Password, refuseIfLoggedIn: true));
    }

    [Fact]
    public async Task EndingEverySessionRefusesTheOldTokensInEveryModeButNotALoginInTheSameSecond()
    {
        await _accounts.SignUpAsync("ann@example.com");
        var before = await LoginAsync(null, "ann@example.com", Password, refuseIfLoggedIn: false);
        var header = $"JWT {before.Token}";

        var epoch = await _accounts.Sessions.EndAllSessionsAsync("ann@example.com", null, CancellationToken.None);
        var after = await LoginAsync(null, "ann@example.com", Password, refuseIfLoggedIn: false);

        Assert.Equal(_accounts.Time.GetUtcNow().ToUnixTimeSeconds() + 1, epoch);
        await Assert.ThrowsAsync<UnauthenticatedError>(() => _accounts.Resolvers.MeAsync(_accounts.Request(header), CancellationToken.None));
        await Assert.ThrowsAsync<TokenInvalidError>(() => _accounts.Resolvers.RefreshAsync(before.Token, null, CancellationToken.None));
        await Assert.ThrowsAsync<TokenInvalidError>(() => _accounts.Resolvers.VerifyTokenAsync(before.Token, CancellationToken.None));
        await Assert.ThrowsAsync<TokenInvalidError>(() => _accounts.Resolvers.RefreshAsync(null, before.RefreshToken, CancellationToken.None));
        Assert.Equal(epoch, after.Payload["origIat"]);
        Assert.Equal("ann@example.com", (await _accounts.Resolvers.MeAsync(_accounts.Request($"JWT {after.Token}"), CancellationToken.None)).User.Email);
        Assert.NotNull((await _accounts.Resolvers.RefreshAsync(null, after.RefreshToken, CancellationToken.None)).RefreshToken);
    }

    [Theory]
    [InlineData(null, typeof(UnauthenticatedError))]
    [InlineData("JWT not.a.token", typeof(TokenInvalidError))]
    [InlineData("Basic YWRtaW46YWRtaW4=", typeof(UnauthenticatedError))]
    [InlineData("expired", typeof(TokenExpiredError))]
    [InlineData("deleted", typeof(UnauthenticatedError))]
    [InlineData("inactive", typeof(UnauthenticatedError))]
    public async Task MeNeedsAValidTokenOfAnActiveAccount(string? header, Type error)
    {
        var user = await _accounts.SignUpAsync("ann@example.com");
        var token = $"JWT {_accounts.AccessTokens.Issue(user.Email).Token}";
        switch (header)
        {
            case "expired":
                _accounts.Time.Advance(TimeSpan.FromMinutes(5));
                header = token;
                break;
            case "deleted":
                _accounts.Users.Remove(user.Email);
                header = token;
                break;
            case "inactive":
                _accounts.Users.Put(user with { IsActive = false });
                header = token;
                break;
        }

        var thrown = await Assert.ThrowsAnyAsync<QraftError>(() => _accounts.Resolvers.MeAsync(_accounts.Request(header), CancellationToken.None));

        Assert.IsType(error, thrown);
    }

    [Fact]
    public async Task MeShowsTheCallerTheirOwnRecord()
    {
        var user = await _accounts.SignUpAsync("ann@example.com");

        var me = await _accounts.Resolvers.MeAsync(_accounts.Request($"Bearer {_accounts.AccessTokens.Issue(user.Email).Token}"), CancellationToken.None);

        Assert.Equal(user.Email, me.User.Email);
        Assert.True(me.IsSelf);
    }

    [Fact]
    public async Task OnlyStaffListUsersAndOnlyTheirOwnRecordIsMarkedTheirs()
    {
        await _accounts.SignUpAsync(InMemoryAccounts.Staff);
        await _accounts.SignUpAsync("ann@example.com");
        var staff = _accounts.Request($"JWT {_accounts.AccessTokens.Issue(InMemoryAccounts.Staff).Token}");
        var ann = _accounts.Request($"JWT {_accounts.AccessTokens.Issue("ann@example.com").Token}");

        var listed = await _accounts.Resolvers.UsersAsync(staff, 10, null, CancellationToken.None);

        Assert.Equal(["ann@example.com", InMemoryAccounts.Staff], listed.Select(u => u.User.Email));
        Assert.Equal([false, true], listed.Select(u => u.IsSelf));
        await Assert.ThrowsAsync<ForbiddenError>(() => _accounts.Resolvers.UsersAsync(ann, 10, null, CancellationToken.None));
        await Assert.ThrowsAsync<BadRequestError>(() => _accounts.Resolvers.UsersAsync(staff, 1001, null, CancellationToken.None));
    }

    [Fact]
    public async Task ARefreshTokenRotatesOnceAndItsReuseRevokesTheWholeFamily()
    {
        await _accounts.SignUpAsync("ann@example.com");
        var login = await LoginAsync(null, "ann@example.com", Password, refuseIfLoggedIn: true);

        var rotated = await _accounts.Resolvers.RefreshAsync(null, login.RefreshToken, CancellationToken.None);
        var reused = await Assert.ThrowsAsync<TokenInvalidError>(() => _accounts.Resolvers.RefreshAsync(null, login.RefreshToken, CancellationToken.None));

        Assert.NotEqual(login.RefreshToken, rotated.RefreshToken);
        Assert.Equal("Invalid refresh token", reused.Message);
        await Assert.ThrowsAsync<TokenInvalidError>(() => _accounts.Resolvers.RefreshAsync(null, rotated.RefreshToken, CancellationToken.None));
    }

    [Fact]
    public async Task ARefreshTokenDiesWithItsAccountAndTakesItsSuccessorAlong()
    {
        await _accounts.SignUpAsync("ann@example.com");
        var login = await LoginAsync(null, "ann@example.com", Password, refuseIfLoggedIn: true);
        _accounts.Users.Remove("ann@example.com");

        await Assert.ThrowsAsync<TokenInvalidError>(() => _accounts.Resolvers.RefreshAsync(null, login.RefreshToken, CancellationToken.None));

        Assert.True(_accounts.RefreshTokens.IsFamilyRevoked(login.RefreshToken));
    }

    [Fact]
    public async Task AnExpiredRefreshTokenSaysSo()
    {
        await _accounts.SignUpAsync("ann@example.com");
        var login = await LoginAsync(null, "ann@example.com", Password, refuseIfLoggedIn: true);
        _accounts.Time.Advance(TimeSpan.FromDays(7));

        var expired = await Assert.ThrowsAsync<TokenExpiredError>(() => _accounts.Resolvers.RefreshAsync(null, login.RefreshToken, CancellationToken.None));

        Assert.Equal("Refresh token is expired", expired.Message);
    }

    [Fact]
    public async Task TheKeepAliveRefreshKeepsOrigIatUntilTheRefreshLifetimeIsUsedUp()
    {
        await _accounts.SignUpAsync("ann@example.com");
        var first = _accounts.AccessTokens.Issue("ann@example.com");
        _accounts.Time.Advance(TimeSpan.FromMinutes(4));

        var renewed = await _accounts.Resolvers.RefreshAsync(first.Token, null, CancellationToken.None);
        _accounts.Time.Advance(TimeSpan.FromDays(7));
        var late = _accounts.AccessTokens.Reissue(first.Payload);
        var refused = await Assert.ThrowsAsync<TokenExpiredError>(() => _accounts.Resolvers.RefreshAsync(late.Token, null, CancellationToken.None));

        Assert.Equal(first.Payload.OrigIat, renewed.Payload["origIat"]);
        Assert.Equal(first.Payload.OrigIat + (long)TimeSpan.FromDays(7).TotalSeconds, renewed.RefreshExpiresIn);
        Assert.Null(renewed.RefreshToken);
        Assert.Equal("Refresh has expired", refused.Message);
        await Assert.ThrowsAsync<BadRequestError>(() => _accounts.Resolvers.RefreshAsync(null, null, CancellationToken.None));
    }

    [Fact]
    public async Task VerifyTokenRefusesAValidSignatureForAnAccountThatIsGone()
    {
        await _accounts.SignUpAsync("ann@example.com");
        var token = _accounts.AccessTokens.Issue("ann@example.com").Token;
        var gone = _accounts.AccessTokens.Issue("gone@example.com").Token;

        var verified = await _accounts.Resolvers.VerifyTokenAsync(token, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<TokenInvalidError>(() => _accounts.Resolvers.VerifyTokenAsync(gone, CancellationToken.None));

        Assert.Equal("ann@example.com", verified.Payload["email"]);
        Assert.Equal("Invalid payload", refused.Message);
    }

    [Fact]
    public async Task RevokingAnUnknownRefreshTokenIsInvalidAndAKnownOneEndsItsFamily()
    {
        await _accounts.SignUpAsync("ann@example.com");
        var login = await LoginAsync(null, "ann@example.com", Password, refuseIfLoggedIn: true);

        var revoked = await _accounts.Resolvers.RevokeAsync(login.RefreshToken, CancellationToken.None);

        Assert.Equal(_accounts.Time.GetUtcNow().ToUnixTimeSeconds(), revoked.Revoked);
        await Assert.ThrowsAsync<TokenInvalidError>(() => _accounts.Resolvers.RefreshAsync(null, login.RefreshToken, CancellationToken.None));
        await Assert.ThrowsAsync<TokenInvalidError>(() => _accounts.Resolvers.RevokeAsync("0123456789abcdef0123456789abcdef01234567", CancellationToken.None));
    }

    private Task<Qraft.GraphQL.Types.LoginPayload> LoginAsync(string? header, string email, string password, bool refuseIfLoggedIn) =>
        _accounts.Resolvers.LoginAsync(_accounts.Request(header), email, password, refuseIfLoggedIn, CancellationToken.None);
}
