using Microsoft.Extensions.Options;
using Qraft.Mail;
using Qraft.Security;

namespace Qraft.Users;

public enum MailRequestOutcome
{
    Accepted,
    Throttled,
}

public enum EmailTokenOutcome
{
    Done,
    Invalid,
    Expired,
    WeakPassword,
}

public sealed record EmailTokenUse(EmailTokenOutcome Outcome, IReadOnlyList<string>? Problems = null);

/// <summary>
/// The flows that reach an account through its mailbox: verification after sign-up, and password reset. Requests name
/// an address and always get the same answer, known account or not; the mail is queued (<see cref="MailDelivery"/>),
/// never sent while the caller waits. Requests are throttled per address asked about and per client address with the
/// login throttle's mechanism, under keys of their own so they never use up a user's login attempts.
/// </summary>
public sealed class AccountEmails(
    IUserStore users,
    RecentUsers recentUsers,
    ISessionRevocation sessions,
    IEmailTokens tokens,
    MailDelivery delivery,
    ILoginThrottle throttle,
    IPasswordHasher hasher,
    IPasswordPolicy policy,
    PasswordHashingThreads hashingThreads,
    IOptions<MailOptions> options)
{
    private const string ThrottleScope = "mail:";

    public bool Enabled => options.Value.Enabled;

    /// <summary>After sign-up: the user row exists, so a crash before this leaves an account that can ask again (resendVerification).</summary>
    public async Task SendVerificationAsync(User user, CancellationToken cancellationToken)
    {
        if (Enabled)
        {
            await delivery.QueueAsync(await VerificationMailAsync(user.Email, cancellationToken), cancellationToken);
        }
    }

    public Task<MailRequestOutcome> ResendVerificationAsync(string rawEmail, string? clientAddress, CancellationToken cancellationToken) =>
        RequestAsync(rawEmail, clientAddress, (user, email, cancel) => user is { IsActive: true, EmailVerified: false }
            ? VerificationMailAsync(user.Email, cancel)
            : DecoyAsync(EmailTokenPurpose.EmailVerification, email, cancel), cancellationToken);

    public Task<MailRequestOutcome> RequestPasswordResetAsync(string rawEmail, string? clientAddress, CancellationToken cancellationToken) =>
        RequestAsync(rawEmail, clientAddress, (user, email, cancel) => user is { IsActive: true }
            ? ResetMailAsync(user.Email, cancel)
            : DecoyAsync(EmailTokenPurpose.PasswordReset, email, cancel), cancellationToken);

    public async Task<EmailTokenUse> VerifyEmailAsync(string token, CancellationToken cancellationToken)
    {
        var used = await tokens.ConsumeAsync(EmailTokenPurpose.EmailVerification, token, cancellationToken);
        if (used.Status != EmailTokenStatus.Consumed)
        {
            return new EmailTokenUse(OutcomeOf(used.Status));
        }

        return Changed(used.Email!, await users.MarkEmailVerifiedAsync(used.Email!, cancellationToken));
    }

    /// <summary>
    /// The rules that need no account are checked before the token is used, so a too-short password does not burn the
    /// link; the similarity-to-email rule can only be checked after, and a password failing it costs a new request.
    /// </summary>
    public async Task<EmailTokenUse> ResetPasswordAsync(string token, string newPassword, CancellationToken cancellationToken)
    {
        if (newPassword.Length > Accounts.MaxPasswordLength)
        {
            return new EmailTokenUse(EmailTokenOutcome.WeakPassword, [$"This password is longer than {Accounts.MaxPasswordLength} characters."]);
        }

        if (policy.Validate(newPassword, "") is { Count: > 0 } early)
        {
            return new EmailTokenUse(EmailTokenOutcome.WeakPassword, early);
        }

        var used = await tokens.ConsumeAsync(EmailTokenPurpose.PasswordReset, token, cancellationToken);
        if (used.Status != EmailTokenStatus.Consumed)
        {
            return new EmailTokenUse(OutcomeOf(used.Status));
        }

        if (policy.Validate(newPassword, used.Email!) is { Count: > 0 } problems)
        {
            return new EmailTokenUse(EmailTokenOutcome.WeakPassword, problems);
        }

        // The new hash, the end of every session the old password opened and the verified address are one write: a
        // crash cannot leave a new password with the old sessions still alive.
        var hash = await hashingThreads.RunAsync(() => hasher.Hash(newPassword));
        var epoch = await sessions.EndAllSessionsAsync(used.Email!, hash, markEmailVerified: true, cancellationToken);
        return new EmailTokenUse(epoch is null ? EmailTokenOutcome.Invalid : EmailTokenOutcome.Done);
    }

    /// <summary>
    /// Known or unknown address, the same storage work happens: the throttle, the lookup, a token written and an outbox
    /// row written (for an unknown address the token is mailed to no one and the row is a placeholder dropped unsent).
    /// </summary>
    private async Task<MailRequestOutcome> RequestAsync(
        string rawEmail,
        string? clientAddress,
        Func<User?, string, CancellationToken, Task<OutgoingMail?>> compose,
        CancellationToken cancellationToken)
    {
        var email = EmailAddress.TryNormalize(rawEmail, out var normalized, out _) ? normalized : rawEmail.Trim();
        var throttleKey = ThrottleScope + email;
        var throttleAddress = clientAddress is null ? null : ThrottleScope + clientAddress;
        var checking = throttle.CheckAsync(throttleKey, throttleAddress, cancellationToken);
        var finding = users.FindAsync(email, cancellationToken);
        await Task.WhenAll(checking, finding);
        if ((await checking).IsThrottled)
        {
            return MailRequestOutcome.Throttled;
        }

        await throttle.RecordFailureAsync(throttleKey, throttleAddress, cancellationToken);
        if (Enabled)
        {
            await delivery.QueueAsync(await compose(await finding, email, cancellationToken), cancellationToken);
        }

        return MailRequestOutcome.Accepted;
    }

    private Task<OutgoingMail?> VerificationMailAsync(string email, CancellationToken cancellationToken)
    {
        var lifetime = options.Value.VerificationTokenLifetime;
        return LinkMailAsync(EmailTokenPurpose.EmailVerification, "verifyEmail", email, lifetime, "Confirm your email address", link => $"""
            Confirm that this address is yours by following this link (valid for {lifetime.TotalHours:0} hours):

            {link}

            If you did not sign up, ignore this message.
            """, cancellationToken);
    }

    private Task<OutgoingMail?> ResetMailAsync(string email, CancellationToken cancellationToken)
    {
        var lifetime = options.Value.ResetTokenLifetime;
        return LinkMailAsync(EmailTokenPurpose.PasswordReset, "resetPassword", email, lifetime, "Reset your password", link => $"""
            Choose a new password by following this link (valid for {lifetime.TotalMinutes:0} minutes, once):

            {link}

            Resetting signs you out everywhere. If you did not ask for this, ignore this message; your password is unchanged.
            """, cancellationToken);
    }

    /// <summary>A mail whose <paramref name="body"/> holds the link to <paramref name="mutation"/> with a fresh token.</summary>
    private async Task<OutgoingMail?> LinkMailAsync(
        EmailTokenPurpose purpose,
        string mutation,
        string email,
        TimeSpan lifetime,
        string subject,
        Func<string, string> body,
        CancellationToken cancellationToken)
    {
        var token = await tokens.IssueAsync(purpose, email, lifetime, cancellationToken);
        return new OutgoingMail(email, subject, body(Link(mutation, token)));
    }

    private async Task<OutgoingMail?> DecoyAsync(EmailTokenPurpose purpose, string email, CancellationToken cancellationToken)
    {
        _ = await tokens.IssueAsync(purpose, email, options.Value.ResetTokenLifetime, cancellationToken);
        return null;
    }

    /// <summary>The token travels in the fragment, which browsers never send, so it reaches no proxy or access log.</summary>
    private string Link(string mutation, string token) =>
        $"{options.Value.LinkBaseUrl.TrimEnd('/')}/graphql/#{mutation}={token}";

    private EmailTokenUse Changed(string email, bool found)
    {
        recentUsers.Forget(email);
        return new EmailTokenUse(found ? EmailTokenOutcome.Done : EmailTokenOutcome.Invalid);
    }

    private static EmailTokenOutcome OutcomeOf(EmailTokenStatus status) =>
        status == EmailTokenStatus.Expired ? EmailTokenOutcome.Expired : EmailTokenOutcome.Invalid;
}
