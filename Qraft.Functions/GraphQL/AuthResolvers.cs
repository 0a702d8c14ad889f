using Microsoft.Extensions.Options;
using Qraft.GraphQL.Errors;
using Qraft.GraphQL.Types;
using Qraft.Security;
using Qraft.Users;

namespace Qraft.GraphQL;

/// <summary>
/// The operations behind the schema: each turns an account or token outcome into a payload or a coded error.
/// Graph types stay declarations; the rules live here and in <see cref="Accounts"/>.
/// </summary>
public sealed class AuthResolvers(
    Accounts accounts,
    AccountEmails accountEmails,
    IUserStore users,
    RecentUsers recentUsers,
    IAccessTokens accessTokens,
    IRefreshTokens refreshTokens,
    IOptions<RefreshTokenOptions> refreshOptions,
    IOptions<AccountOptions> accountOptions,
    TimeProvider time,
    ISessionRevocation sessions,
    AccountDeletion deletion)
{
    public async Task<CreateUserPayload> CreateUserAsync(string email, string password, CancellationToken cancellationToken)
    {
        var result = await accounts.SignUpAsync(email, password, cancellationToken);
        if (result.Outcome == SignUpOutcome.Created)
        {
            await accountEmails.SendVerificationAsync(result.User!, cancellationToken);
        }

        return result.Outcome switch
        {
            SignUpOutcome.Created => new CreateUserPayload(new UserView(result.User!, IsSelf: true)),
            SignUpOutcome.InvalidEmail => throw new InvalidEmailError(result.Problems![0]),
            SignUpOutcome.WeakPassword => throw new WeakPasswordError(result.Problems!),
            _ => throw new EmailTakenError(),
        };
    }

    /// <param name="refuseIfLoggedIn">The original's <c>login</c> refuses a caller who already holds a valid token; <c>tokenAuth</c> does not.</param>
    public async Task<LoginPayload> LoginAsync(
        GraphQLRequestContext request, string email, string password, bool refuseIfLoggedIn, CancellationToken cancellationToken)
    {
        // Credentials first, then the existing session, as the original checked them; an expired or forged header
        // token is no session and does not block a fresh login, and a refused one gets no refresh token.
        var current = refuseIfLoggedIn && request.HeaderToken is { Status: TokenStatus.Valid, Payload: { } valid } ? valid : null;
        var result = await accounts.LogInAsync(
            email,
            password,
            request.ClientAddress,
            async (account, token) => current is null && MaySignIn(account)
                ? await refreshTokens.IssueAsync(account.Email, account.SessionEpoch, token)
                : null,
            cancellationToken);
        var user = result.Outcome switch
        {
            LoginOutcome.Succeeded => result.User!,
            LoginOutcome.Throttled => throw new RateLimitedError(),
            _ => throw new InvalidCredentialsError(),
        };

        // Only after the password proved the caller owns the account, so the refusal tells nobody else it exists.
        if (!MaySignIn(user))
        {
            throw new EmailNotVerifiedError();
        }

        if (current is not null)
        {
            throw new AlreadyLoggedInError(current.Email, email);
        }

        return SignedIn(user, result.Session!);
    }

    /// <summary>
    /// Signature and expiry, as django-graphql-jwt checks them, and then the account: a token that outlived its account
    /// (deleted or deactivated) no longer verifies, so a service that relies on verifyToken stops trusting it too.
    /// </summary>
    public async Task<VerifyTokenPayload> VerifyTokenAsync(string token, CancellationToken cancellationToken)
    {
        var payload = ReadOrThrow(token);
        await EnsureAccountAsync(payload, cancellationToken);
        return new(new TokenClaims(payload));
    }

    public async Task<RefreshTokenPayload> RefreshAsync(string? token, string? refreshToken, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(refreshToken))
        {
            var rotation = await refreshTokens.RotateAsync(refreshToken, cancellationToken);
            var next = rotation.Status switch
            {
                RefreshStatus.Rotated => rotation.Next!,
                RefreshStatus.Expired => throw new TokenExpiredError("Refresh token is expired"),
                _ => throw new TokenInvalidError("Invalid refresh token"),
            };

            // The original's refresh tokens died with their account (a foreign key, deleted in cascade). The rotation
            // is what names the account, so the check follows it; the successor, never handed out, is revoked with its
            // family so no live token of the gone account stays in storage for an address registered again later.
            // The account is read from storage, not the cache, and after the rotation was written: a revocation of all
            // sessions either shows here, or lands later with an epoch past the successor's stamp, which then fails.
            if (await users.FindAsync(rotation.Email!, cancellationToken) is not { IsActive: true } owner
                || rotation.SessionEpoch < owner.SessionEpoch)
            {
                await refreshTokens.RevokeAsync(next.Token, cancellationToken);
                throw new TokenInvalidError("Invalid refresh token");
            }

            var access = IssueAccessToken(owner);
            return new RefreshTokenPayload(access.Token, new TokenClaims(access.Payload), next.ExpiresAt.ToUnixTimeSeconds(), next.Token);
        }

        if (string.IsNullOrEmpty(token))
        {
            throw new BadRequestError("Token is required");
        }

        // The original's keep-alive mode: a valid token gets a successor with the same origIat, until the chain is a
        // refresh lifetime old.
        var payload = ReadOrThrow(token);
        var refreshExpires = DateTimeOffset.FromUnixTimeSeconds(payload.OrigIat) + refreshOptions.Value.RefreshTokenLifetime;
        if (time.GetUtcNow() > refreshExpires)
        {
            throw new TokenExpiredError("Refresh has expired");
        }

        // Same origIat, so a chain older than the account's session epoch stays ended however often it is reissued.
        await EnsureAccountAsync(payload, cancellationToken);

        var reissued = accessTokens.Reissue(payload);
        return new RefreshTokenPayload(reissued.Token, new TokenClaims(reissued.Payload), refreshExpires.ToUnixTimeSeconds(), null);
    }

    public async Task<RevokeTokenPayload> RevokeAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var revoked = await refreshTokens.RevokeAsync(refreshToken, cancellationToken) ?? throw new TokenInvalidError("Invalid refresh token");
        return new RevokeTokenPayload(revoked.ToUnixTimeSeconds());
    }

    public async Task<DonePayload> RequestPasswordResetAsync(GraphQLRequestContext request, string email, CancellationToken cancellationToken) =>
        await accountEmails.RequestPasswordResetAsync(email, request.ClientAddress, cancellationToken) == MailRequestOutcome.Throttled
            ? throw new MailRateLimitedError()
            : new DonePayload(Ok: true);

    public async Task<DonePayload> ResendVerificationAsync(GraphQLRequestContext request, string email, CancellationToken cancellationToken) =>
        await accountEmails.ResendVerificationAsync(email, request.ClientAddress, cancellationToken) == MailRequestOutcome.Throttled
            ? throw new MailRateLimitedError()
            : new DonePayload(Ok: true);

    public async Task<DonePayload> ResetPasswordAsync(string token, string newPassword, CancellationToken cancellationToken) =>
        PayloadOf(await accountEmails.ResetPasswordAsync(token, newPassword, cancellationToken), "Reset link");

    public async Task<DonePayload> VerifyEmailAsync(string token, CancellationToken cancellationToken) =>
        PayloadOf(await accountEmails.VerifyEmailAsync(token, cancellationToken), "Verification link");

    public async Task<UserView> MeAsync(GraphQLRequestContext request, CancellationToken cancellationToken)
    {
        var user = await CurrentUserAsync(request, cancellationToken);
        return new UserView(user, IsSelf: true);
    }

    public async Task<IReadOnlyList<UserView>> UsersAsync(
        GraphQLRequestContext request, int first, string? after, CancellationToken cancellationToken)
    {
        var caller = await CurrentUserAsync(request, cancellationToken);
        if (!accountOptions.Value.IsStaff(caller.Email))
        {
            throw new ForbiddenError();
        }

        if (first is < 1 or > 1000)
        {
            throw new BadRequestError("first must be between 1 and 1000.");
        }

        var page = await users.ListAsync(first, after, cancellationToken);
        return [.. page.Select(u => new UserView(u, IsSelf: string.Equals(u.Email, caller.Email, StringComparison.OrdinalIgnoreCase)))];
    }

    // Account self-service: a signed-in caller changes or ends their own account. Every one needs the header token
    // `me` needs, so a missing, forged or ended one gets `me`'s errors; the session is judged on the stored account.

    /// <summary>The caller stays signed in: the change ended every session, this one included, so it gets a new one.</summary>
    public async Task<LoginPayload> ChangePasswordAsync(
        GraphQLRequestContext request, string oldPassword, string newPassword, CancellationToken cancellationToken)
    {
        var caller = await CurrentUserAsync(request, cancellationToken, fromStorage: true);
        var result = await accounts.ChangePasswordAsync(caller.Email, oldPassword, newPassword, request.ClientAddress, cancellationToken);
        var user = result.Outcome switch
        {
            PasswordChangeOutcome.Changed => result.User!,
            PasswordChangeOutcome.Throttled => throw new RateLimitedError(),
            PasswordChangeOutcome.WeakPassword => throw new WeakPasswordError(result.Problems!),
            _ => throw new InvalidCredentialsError(),
        };
        return await SignInAsync(user, cancellationToken);
    }

    /// <remarks>
    /// Not throttled: it needs a token whose session is current, it hashes nothing, and all it can do is end the
    /// sessions of the token's own account, which whoever holds that token could do one by one with revokeToken.
    /// </remarks>
    public async Task<DonePayload> SignOutEverywhereAsync(GraphQLRequestContext request, CancellationToken cancellationToken)
    {
        var caller = await CurrentUserAsync(request, cancellationToken, fromStorage: true);
        _ = await sessions.EndAllSessionsAsync(caller.Email, null, cancellationToken) ?? throw new UnauthenticatedError();
        return new DonePayload(Ok: true);
    }

    public async Task<DonePayload> DeleteAccountAsync(GraphQLRequestContext request, string password, CancellationToken cancellationToken)
    {
        var caller = await CurrentUserAsync(request, cancellationToken, fromStorage: true);
        return await deletion.DeleteAsync(caller.Email, password, request.ClientAddress, cancellationToken) switch
        {
            DeletionOutcome.Deleted => new DonePayload(Ok: true),
            DeletionOutcome.Throttled => throw new RateLimitedError(),
            _ => throw new InvalidCredentialsError(),
        };
    }

    /// <summary>A login's tokens: a new access-token chain and a new refresh-token family, stamped with the account's epoch.</summary>
    private async Task<LoginPayload> SignInAsync(User user, CancellationToken cancellationToken) =>
        SignedIn(user, await refreshTokens.IssueAsync(user.Email, user.SessionEpoch, cancellationToken));

    private LoginPayload SignedIn(User user, IssuedRefreshToken refresh)
    {
        var access = IssueAccessToken(user);
        return new LoginPayload(
            access.Token, new TokenClaims(access.Payload), refresh.ExpiresAt.ToUnixTimeSeconds(), refresh.Token, new UserView(user, IsSelf: true));
    }

    private bool MaySignIn(User user) => !accountOptions.Value.RequireVerifiedEmail || user.EmailVerified;

    /// <param name="fromStorage">
    /// Judge the session against the stored account, not this replica's cached copy: for the changes below, so a
    /// session ended on another replica cannot act here during the cache window (signing out everywhere again and
    /// again would push the epoch ever further ahead of the clock).
    /// </param>
    private async Task<User> CurrentUserAsync(GraphQLRequestContext request, CancellationToken cancellationToken, bool fromStorage = false)
    {
        var payload = request.HeaderToken switch
        {
            null => throw new UnauthenticatedError(),
            { Status: TokenStatus.Expired } => throw new TokenExpiredError(),
            { Status: TokenStatus.Valid, Payload: { } valid } => valid,
            _ => throw new TokenInvalidError(),
        };

        // A token outliving its account is no login, as in django-graphql-jwt; nor is one from a session since ended.
        var user = fromStorage
            ? await users.FindAsync(payload.Email, cancellationToken)
            : await recentUsers.FindAsync(payload.Email, cancellationToken);
        return user is { IsActive: true } && SessionEpochs.IsCurrent(payload, user) ? user : throw new UnauthenticatedError();
    }

    /// <summary>
    /// A correctly signed token naming no active account, or from a session since ended, is refused as
    /// django-graphql-jwt's payload check words it.
    /// </summary>
    private async Task EnsureAccountAsync(AccessTokenPayload payload, CancellationToken cancellationToken)
    {
        if (await recentUsers.FindAsync(payload.Email, cancellationToken) is not { IsActive: true } user || !SessionEpochs.IsCurrent(payload, user))
        {
            throw new TokenInvalidError("Invalid payload");
        }
    }

    private static DonePayload PayloadOf(EmailTokenUse use, string what) => use.Outcome switch
    {
        EmailTokenOutcome.Done => new DonePayload(Ok: true),
        EmailTokenOutcome.Expired => throw new TokenExpiredError($"{what} has expired"),
        EmailTokenOutcome.WeakPassword => throw new WeakPasswordError(use.Problems!),
        _ => throw new TokenInvalidError($"{what} is invalid or already used"),
    };

    /// <summary>A new chain for the account, never older than its session epoch (<see cref="SessionEpochs.OrigIatFor"/>).</summary>
    private IssuedAccessToken IssueAccessToken(User user) =>
        accessTokens.Reissue(new AccessTokenPayload(user.Email, 0, SessionEpochs.OrigIatFor(user, time.GetUtcNow())));

    private AccessTokenPayload ReadOrThrow(string token) => accessTokens.Read(token) switch
    {
        { Status: TokenStatus.Valid, Payload: { } payload } => payload,
        { Status: TokenStatus.Expired } => throw new TokenExpiredError(),
        _ => throw new TokenInvalidError(),
    };
}
