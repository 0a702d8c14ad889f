using Qraft.GraphQL.Errors;
using Qraft.GraphQL.Types;
using Qraft.Tests.Fakes;

namespace Qraft.Tests.GraphQL;

/// <summary>
/// Unit tests of changePassword, signOutEverywhere and deleteAccount (<see cref="Qraft.GraphQL.AuthResolvers"/>,
/// <see cref="Qraft.Users.Accounts"/>, <see cref="Qraft.Users.AccountDeletion"/>) on in-memory stores. The same flows
/// through HTTP and Azurite are in AccountSelfServiceApiTests, and across three replicas in LocalStackTests.
/// </summary>
public sealed class AccountSelfServiceRulesTests : IDisposable
{
    private const string Email = "ann@example.com";
    private const string Password = "correct horse battery";
    private const string NewPassword = "staple battery horse";

    private readonly InMemoryAccounts _accounts = new();

    public void Dispose() => _accounts.Dispose();

    [Fact]
    public async Task ChangingThePasswordEndsEverySessionAndSignsTheCallerInAgain()
    {
        await _accounts.SignUpAsync(Email);
        var before = await LoginAsync(Password);

        var changed = await _accounts.Resolvers.ChangePasswordAsync(Header(before), Password, NewPassword, CancellationToken.None);

        await Assert.ThrowsAsync<UnauthenticatedError>(() => _accounts.Resolvers.MeAsync(Header(before), CancellationToken.None));
        await Assert.ThrowsAsync<TokenInvalidError>(() => _accounts.Resolvers.RefreshAsync(null, before.RefreshToken, CancellationToken.None));
        Assert.Equal(Email, (await _accounts.Resolvers.MeAsync(Header(changed), CancellationToken.None)).User.Email);
        Assert.NotNull((await _accounts.Resolvers.RefreshAsync(null, changed.RefreshToken, CancellationToken.None)).RefreshToken);
        Assert.Equal(changed.User.User.PasswordHash, (await _accounts.Users.FindAsync(Email, CancellationToken.None))!.PasswordHash);
        await Assert.ThrowsAsync<InvalidCredentialsError>(() => LoginAsync(Password));
        Assert.Equal(Email, (await LoginAsync(NewPassword)).Payload["email"]);
    }

    [Fact]
    public async Task AWrongOldPasswordCountsAsAFailedLoginAndAThrottledChangeCostsNoHash()
    {
        await _accounts.SignUpAsync(Email);
        var session = Header(await LoginAsync(Password));
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<InvalidCredentialsError>(
                () => _accounts.Resolvers.ChangePasswordAsync(session, "wrong password", NewPassword, CancellationToken.None));
        }

        var hashes = _accounts.Hashes;
        var throttled = await Assert.ThrowsAsync<RateLimitedError>(
            () => _accounts.Resolvers.ChangePasswordAsync(session, Password, NewPassword, CancellationToken.None));

        Assert.Equal("RATE_LIMITED", throttled.Code);
        Assert.Equal(hashes, _accounts.Hashes);
        Assert.Equal(5, _accounts.Throttle.FailuresOf(Email));
        await Assert.ThrowsAsync<RateLimitedError>(() => LoginAsync(Password));
    }

    [Fact]
    public async Task ANewPasswordMeetsTheSignUpPolicyOrNothingChanges()
    {
        await _accounts.SignUpAsync(Email);
        var session = await LoginAsync(Password);
        var signUp = await _accounts.Accounts.SignUpAsync("bob@example.com", "password", CancellationToken.None);

        var weak = await Assert.ThrowsAsync<WeakPasswordError>(
            () => _accounts.Resolvers.ChangePasswordAsync(Header(session), Password, "password", CancellationToken.None));

        Assert.Equal("WEAK_PASSWORD", weak.Code);
        Assert.Equal(string.Join(" ", signUp.Problems!), weak.Message);
        Assert.Equal(Email, (await _accounts.Resolvers.MeAsync(Header(session), CancellationToken.None)).User.Email);
        Assert.Equal(Email, (await LoginAsync(Password)).Payload["email"]);
    }

    [Theory]
    [InlineData(null, typeof(UnauthenticatedError))]
    [InlineData("JWT not.a.token", typeof(TokenInvalidError))]
    [InlineData("expired", typeof(TokenExpiredError))]
    [InlineData("ended", typeof(UnauthenticatedError))]
    public async Task EverySelfServiceMutationNeedsTheTokenMeNeeds(string? header, Type error)
    {
        await _accounts.SignUpAsync(Email);
        var token = $"JWT {(await LoginAsync(Password)).Token}";
        switch (header)
        {
            case "expired":
                _accounts.Time.Advance(TimeSpan.FromMinutes(5));
                header = token;
                break;
            case "ended":
                await _accounts.Sessions.EndAllSessionsAsync(Email, null, CancellationToken.None);
                header = token;
                break;
        }

        var request = _accounts.Request(header);
        Assert.IsType(error, await Assert.ThrowsAnyAsync<QraftError>(
            () => _accounts.Resolvers.ChangePasswordAsync(request, Password, NewPassword, CancellationToken.None)));
        Assert.IsType(error, await Assert.ThrowsAnyAsync<QraftError>(() => _accounts.Resolvers.SignOutEverywhereAsync(request, CancellationToken.None)));
        Assert.IsType(error, await Assert.ThrowsAnyAsync<QraftError>(() => _accounts.Resolvers.DeleteAccountAsync(request, Password, CancellationToken.None)));
        Assert.NotNull(await _accounts.Users.FindAsync(Email, CancellationToken.None));
    }

    [Fact]
    public async Task SigningOutEverywhereRefusesEveryEarlierTokenButNotTheNextLogin()
    {
        await _accounts.SignUpAsync(Email);
        var first = await LoginAsync(Password);
        var second = await LoginAsync(Password);

        var done = await _accounts.Resolvers.SignOutEverywhereAsync(Header(first), CancellationToken.None);
        var next = await LoginAsync(Password);

        Assert.True(done.Ok);
        foreach (var ended in new[] { first, second })
        {
            await Assert.ThrowsAsync<UnauthenticatedError>(() => _accounts.Resolvers.MeAsync(Header(ended), CancellationToken.None));
            await Assert.ThrowsAsync<TokenInvalidError>(() => _accounts.Resolvers.RefreshAsync(null, ended.RefreshToken, CancellationToken.None));
        }

        Assert.Equal(Email, (await _accounts.Resolvers.MeAsync(Header(next), CancellationToken.None)).User.Email);
    }

    [Fact]
    public async Task DeletingTheAccountNeedsItsPasswordAndLeavesTheAddressFreeWithNoTokenOrCountBehind()
    {
        await _accounts.SignUpAsync(Email);
        var session = await LoginAsync(Password);
        await Assert.ThrowsAsync<InvalidCredentialsError>(() => _accounts.Resolvers.DeleteAccountAsync(Header(session), "wrong password", CancellationToken.None));
        Assert.Equal(1, _accounts.Throttle.FailuresOf(Email));
        Assert.NotNull(await _accounts.Users.FindAsync(Email, CancellationToken.None));

        var done = await _accounts.Resolvers.DeleteAccountAsync(Header(session), Password, CancellationToken.None);

        Assert.True(done.Ok);
        Assert.Null(await _accounts.Users.FindAsync(Email, CancellationToken.None));
        Assert.Equal(0, _accounts.Throttle.FailuresOf(Email));
        Assert.Equal(0, await _accounts.RefreshTokens.DeleteAllAsync(Email, CancellationToken.None));
        await Assert.ThrowsAsync<UnauthenticatedError>(() => _accounts.Resolvers.MeAsync(Header(session), CancellationToken.None));
        await Assert.ThrowsAsync<TokenInvalidError>(() => _accounts.Resolvers.RefreshAsync(null, session.RefreshToken, CancellationToken.None));

        // A new account of the address starts a second later than any token of the old one (the same second is the known limit).
        _accounts.Time.Advance(TimeSpan.FromSeconds(1));
        await _accounts.SignUpAsync(Email, NewPassword);
        await Assert.ThrowsAsync<UnauthenticatedError>(() => _accounts.Resolvers.MeAsync(Header(session), CancellationToken.None));
        Assert.Equal(Email, (await LoginAsync(NewPassword)).Payload["email"]);
    }

    [Fact]
    public async Task AThrottledDeletionCostsNoHashAndDeletesNothing()
    {
        await _accounts.SignUpAsync(Email);
        var session = Header(await LoginAsync(Password));
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<InvalidCredentialsError>(() => _accounts.Resolvers.DeleteAccountAsync(session, "wrong password", CancellationToken.None));
        }

        var hashes = _accounts.Hashes;
        await Assert.ThrowsAsync<RateLimitedError>(() => _accounts.Resolvers.DeleteAccountAsync(session, Password, CancellationToken.None));

        Assert.Equal(hashes, _accounts.Hashes);
        Assert.NotNull(await _accounts.Users.FindAsync(Email, CancellationToken.None));
    }

    private Task<LoginPayload> LoginAsync(string password) =>
        _accounts.Resolvers.LoginAsync(_accounts.Request(), Email, password, refuseIfLoggedIn: false, CancellationToken.None);

    private Qraft.GraphQL.GraphQLRequestContext Header(LoginPayload session) => _accounts.Request($"JWT {session.Token}");
}
