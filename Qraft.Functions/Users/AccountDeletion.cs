using Qraft.Security;

namespace Qraft.Users;

public enum DeletionOutcome
{
    Deleted,
    InvalidCredentials,
    Throttled,
}

/// <summary>
/// A signed-in user deleting their own account after proving its password again: the account, then what only it
/// used (its refresh tokens, its unused mailed links and its login-throttle count), so the address can sign up afresh.
/// </summary>
/// <remarks>
/// The account goes first because its absence is what every token check refuses: if the cleanup after it fails, the
/// leftovers are already inert (a refresh of a gone account is refused, and the storage purge removes them when they
/// expire) and a new account of the same address starts with a later session epoch than they carry.
/// </remarks>
public sealed class AccountDeletion(
    Accounts accounts,
    IUserStore users,
    IRefreshTokens refreshTokens,
    IEmailTokens emailTokens,
    ILoginThrottle throttle,
    RecentUsers recentUsers)
{
    public async Task<DeletionOutcome> DeleteAsync(string email, string password, string? clientAddress, CancellationToken cancellationToken)
    {
        var check = await accounts.ReauthenticateAsync(email, password, clientAddress, cancellationToken);
        if (check.Outcome != LoginOutcome.Succeeded)
        {
            return check.Outcome == LoginOutcome.Throttled ? DeletionOutcome.Throttled : DeletionOutcome.InvalidCredentials;
        }

        var owner = check.User!.Email;

        // Not there any more means a concurrent deletion won: the account is gone either way, and so is its cleanup.
        await users.DeleteAsync(owner, cancellationToken);
        recentUsers.Forget(owner);
        await Task.WhenAll(
            refreshTokens.DeleteAllAsync(owner, cancellationToken),
            emailTokens.DeleteAllAsync(owner, cancellationToken),
            throttle.RecordSuccessAsync(owner, cancellationToken));
        return DeletionOutcome.Deleted;
    }
}
