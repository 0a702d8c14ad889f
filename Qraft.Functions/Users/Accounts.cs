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

/// <param name="Session">What the caller's session opener returned; only a login that succeeded opens one.</param>
public sealed record LoginResult<TSession>(LoginOutcome Outcome, User? User = null, TSession? Session = default);

/// <summary>Sign-up and credential checks: the account rules, independent of GraphQL.</summary>
public sealed class Accounts(
    IUserStore users,
    IPasswordHasher hasher,
    IPasswordPolicy policy,
    ILoginThrottle throttle,
    PasswordHashingThreads hashingThreads,
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
    /// Checks credentials and, when they are right, opens the caller's session (<paramref name="openSession"/>, e.g. a
    /// refresh token) while the login is recorded. Throttled attempts are refused before any hash; unknown emails cost
    /// one hash like known ones, so neither the answer nor its timing tells whether an account exists.
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
        var email = EmailAddress.TryNormalize(rawEmail, out var normalized, out _) ? normalized : null;
        var throttleKey = email ?? rawEmail.Trim();
        var checking = throttle.CheckAsync(throttleKey, clientAddress, cancellationToken);
        var finding = email is null ? Task.FromResult<User?>(null) : users.FindAsync(email, cancellationToken);
        await Task.WhenAll(checking, finding);
        var throttling = await checking;
        if (throttling.IsThrottled)
        {
            metrics.Throttled.Inc();
            metrics.Logins.WithLabels("throttled").Inc();
            return new LoginResult<TSession>(LoginOutcome.Throttled);
        }

        var user = await finding;
        var check = password.Length > MaxPasswordLength
            ? PasswordCheck.Failed
            : await MeasureAsync(() => hasher.Verify(password, user is { IsActive: true } ? user.PasswordHash : null));
        if (user is null || check == PasswordCheck.Failed)
        {
            await throttle.RecordFailureAsync(throttleKey, clientAddress, cancellationToken);
            metrics.Logins.WithLabels("invalid_credentials").Inc();
            return new LoginResult<TSession>(LoginOutcome.InvalidCredentials);
        }

        // Django's setter: a correct password stored with weaker parameters is re-hashed in place, in the same write.
        var upgraded = check == PasswordCheck.SucceededNeedsRehash ? await MeasureAsync(() => hasher.Hash(password)) : null;
        var now = time.GetUtcNow();
        var loggedIn = user with { LastLogin = now, PasswordHash = upgraded ?? user.PasswordHash };

        // The record first: when both fail, the storage error is the one the caller sees, as when they ran in turn.
        var recording = users.RecordLoginAsync(user.Email, now, upgraded, cancellationToken);
        var opening = openSession(loggedIn, cancellationToken);
        await Task.WhenAll(
            recording,
            opening,
            throttling.AccountHasFailures ? throttle.RecordSuccessAsync(throttleKey, cancellationToken) : Task.CompletedTask);
        metrics.Logins.WithLabels("ok").Inc();
        return new LoginResult<TSession>(LoginOutcome.Succeeded, loggedIn, await opening);
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
