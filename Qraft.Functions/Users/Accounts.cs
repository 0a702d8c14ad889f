using Prometheus;
using Qraft.Observability;
using Qraft.Security;

namespace Qraft.Users;

public enum SignUpOutcome
{
    Created,
    InvalidEmail,
    WeakPassword,
    EmailTaken,
}

public sealed record SignUpResult(SignUpOutcome Outcome, User? User = null, IReadOnlyList<string>? Problems = null);

public enum LoginOutcome
{
    Succeeded,
    InvalidCredentials,
    Throttled,
}

/// <summary>A credential check's answer, as re-authentication before a change to the account gets it.</summary>
public sealed record LoginResult(LoginOutcome Outcome, User? User = null);

/// <param name="Session">What the caller's session opener returned; only a login that succeeded opens one.</param>
public sealed record LoginResult<TSession>(LoginOutcome Outcome, User? User = null, TSession? Session = default);

public enum PasswordChangeOutcome
{
    Changed,
    InvalidCredentials,
    Throttled,
    WeakPassword,
}

/// <param name="User">On success, the account with its new hash and session epoch, for the tokens that keep the caller signed in.</param>
public sealed record PasswordChangeResult(PasswordChangeOutcome Outcome, User? User = null, IReadOnlyList<string>? Problems = null);

/// <summary>Sign-up, credential checks and password changes: the account rules, independent of GraphQL.</summary>
public sealed class Accounts(
    IUserStore users,
    IPasswordHasher hasher,
    IPasswordPolicy policy,
    ILoginThrottle throttle,
    PasswordHashingThreads hashingThreads,
    ISessionRevocation sessions,
    TimeProvider time,
    QraftMetrics metrics)
{
    /// <summary>Longest password accepted anywhere (SPEC §3); longer ones are refused before any hashing.</summary>
    public const int MaxPasswordLength = 4096;

    public async Task<SignUpResult> SignUpAsync(string rawEmail, string password, CancellationToken cancellationToken)
    {
        if (!EmailAddress.TryNormalize(rawEmail, out var email, out var emailError))
        {
            return new SignUpResult(SignUpOutcome.InvalidEmail, Problems: [emailError]);
        }

        var problems = policy.Validate(password, email);
        if (problems.Count > 0)
        {
            return new SignUpResult(SignUpOutcome.WeakPassword, Problems: problems);
        }

        var joined = time.GetUtcNow();
        var user = new User(
            Id: Guid.CreateVersion7().ToString("N"),
            Email: email,
            PasswordHash: await MeasureAsync(() => hasher.Hash(password)),
            DateJoined: joined,
            LastLogin: null,
            SessionEpoch: joined.ToUnixTimeSeconds());
        if (!await users.TryAddAsync(user, cancellationToken))
        {
            return new SignUpResult(SignUpOutcome.EmailTaken);
        }

        metrics.SignUps.Inc();
        return new SignUpResult(SignUpOutcome.Created, user);
    }

    /// <summary>
    /// Checks credentials (<see cref="CheckCredentialsAsync"/>) and, when they are right, opens the caller's session
    /// (<paramref name="openSession"/>, e.g. a refresh token) while the login is recorded.
    /// </summary>
    /// <remarks>
    /// A login makes five Table Storage calls but waits on them twice: the throttle's two counts (one partition each,
    /// so one query for both would scan the table) and the account are read together before the hash, and the login
    /// record, the session and the throttle reset (skipped when there is no count to clear, nearly every login) are
    /// written together after it. They are different tables, so no transaction can hold them; all complete before the
    /// answer, so a crash loses nothing the client was told about, and a session opened for a login whose record then
    /// failed is a token the client never received.
    /// </remarks>
    public async Task<LoginResult<TSession>> LogInAsync<TSession>(
        string rawEmail, string password, string? clientAddress, Func<User, CancellationToken, Task<TSession>> openSession, CancellationToken cancellationToken)
    {
        var (result, check, throttling) = await CheckCredentialsAsync(rawEmail, password, clientAddress, cancellationToken);
        if (result.Outcome != LoginOutcome.Succeeded)
        {
            metrics.Logins.WithLabels(result.Outcome == LoginOutcome.Throttled ? "throttled" : "invalid_credentials").Inc();
            return new LoginResult<TSession>(result.Outcome);
        }

        // Django's setter: a correct password stored with weaker parameters is re-hashed in place, in the same write.
        var user = result.User!;
        var upgraded = check == PasswordCheck.SucceededNeedsRehash ? await MeasureAsync(() => hasher.Hash(password)) : null;
        var now = time.GetUtcNow();
        var loggedIn = user with { LastLogin = now, PasswordHash = upgraded ?? user.PasswordHash };

        // The record first: when both fail, the storage error is the one the caller sees, as when they ran in turn.
        var recording = users.RecordLoginAsync(user.Email, now, upgraded, cancellationToken);
        var opening = openSession(loggedIn, cancellationToken);
        await Task.WhenAll(
            recording,
            opening,
            throttling.AccountHasFailures ? throttle.RecordSuccessAsync(user.Email, cancellationToken) : Task.CompletedTask);
        metrics.Logins.WithLabels("ok").Inc();
        return new LoginResult<TSession>(LoginOutcome.Succeeded, loggedIn, await opening);
    }

    /// <summary>
    /// A signed-in user proving their password again before a change to the account: the login's checks under the
    /// login's throttle (a wrong password counts as a failed login, a throttled attempt costs no hash), without
    /// recording a login.
    /// </summary>
    public async Task<LoginResult> ReauthenticateAsync(string email, string password, string? clientAddress, CancellationToken cancellationToken)
    {
        var (result, _, throttling) = await CheckCredentialsAsync(email, password, clientAddress, cancellationToken);
        if (result.Outcome == LoginOutcome.Succeeded && throttling.AccountHasFailures)
        {
            await throttle.RecordSuccessAsync(result.User!.Email, cancellationToken);
        }

        return result;
    }

    /// <summary>
    /// Replaces a signed-in user's password after checking the current one (<see cref="ReauthenticateAsync"/>) and the
    /// new one (the sign-up policy). The new hash is written with the end of every session
    /// (<see cref="ISessionRevocation"/>), one write, so no crash leaves a new password with the old sessions alive.
    /// </summary>
    public async Task<PasswordChangeResult> ChangePasswordAsync(
        string email, string oldPassword, string newPassword, string? clientAddress, CancellationToken cancellationToken)
    {
        var current = await ReauthenticateAsync(email, oldPassword, clientAddress, cancellationToken);
        if (current.Outcome != LoginOutcome.Succeeded)
        {
            return new PasswordChangeResult(current.Outcome == LoginOutcome.Throttled ? PasswordChangeOutcome.Throttled : PasswordChangeOutcome.InvalidCredentials);
        }

        var user = current.User!;
        var problems = policy.Validate(newPassword, user.Email);
        if (problems.Count > 0)
        {
            return new PasswordChangeResult(PasswordChangeOutcome.WeakPassword, Problems: problems);
        }

        var hash = await MeasureAsync(() => hasher.Hash(newPassword));

        // Gone since the check (deleted on another replica): nothing was changed, and the password no longer opens anything.
        return await sessions.EndAllSessionsAsync(user.Email, hash, cancellationToken) is { } epoch
            ? new PasswordChangeResult(PasswordChangeOutcome.Changed, user with { PasswordHash = hash, SessionEpoch = epoch })
            : new PasswordChangeResult(PasswordChangeOutcome.InvalidCredentials);
    }

    /// <summary>
    /// The credential check shared by login and re-authentication. Throttled attempts are refused before any hash;
    /// unknown emails cost one hash like known ones, so neither the answer nor its timing tells whether an account exists.
    /// </summary>
    /// <remarks>The throttle and the account are read together before the hash; a throttled attempt has read its account for nothing, which costs no hash.</remarks>
    private async Task<(LoginResult Result, PasswordCheck Check, ThrottleCheck Throttling)> CheckCredentialsAsync(
        string rawEmail, string password, string? clientAddress, CancellationToken cancellationToken)
    {
        var email = EmailAddress.TryNormalize(rawEmail, out var normalized, out _) ? normalized : null;
        var throttleKey = email ?? rawEmail.Trim();
        var checking = throttle.CheckAsync(throttleKey, clientAddress, cancellationToken);
        var finding = email is null ? Task.FromResult<User?>(null) : users.FindAsync(email, cancellationToken);
        await Task.WhenAll(checking, finding);
        var throttling = await checking;
        if (throttling.IsThrottled)
        {
            metrics.Throttled.Inc();
            return (new LoginResult(LoginOutcome.Throttled), PasswordCheck.Failed, throttling);
        }

        var user = await finding;
        var check = password.Length > MaxPasswordLength
            ? PasswordCheck.Failed
            : await MeasureAsync(() => hasher.Verify(password, user is { IsActive: true } ? user.PasswordHash : null));
        if (user is null || check == PasswordCheck.Failed)
        {
            await throttle.RecordFailureAsync(throttleKey, clientAddress, cancellationToken);
            return (new LoginResult(LoginOutcome.InvalidCredentials), check, throttling);
        }

        return (new LoginResult(LoginOutcome.Succeeded, user), check, throttling);
    }

    /// <summary>Times the hash itself, on the hashing threads, not its wait in their queue.</summary>
    private Task<T> MeasureAsync<T>(Func<T> hashing) =>
        hashingThreads.RunAsync(() =>
        {
            using (metrics.PasswordHashes.NewTimer())
            {
                return hashing();
            }
        });
}
