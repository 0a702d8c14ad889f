namespace Qraft.Security;

/// <summary>What a login attempt learns from the throttle before it hashes anything.</summary>
/// <param name="IsThrottled">The account or the address is over its limit: refuse without hashing.</param>
/// <param name="AccountHasFailures">The account has a failure count a success would clear; without one there is nothing to reset.</param>
public readonly record struct ThrottleCheck(bool IsThrottled, bool AccountHasFailures);

/// <summary>
/// Failed-login throttling per account and per client address, shared by all replicas.
/// Callers ask before hashing, so a throttled attempt costs no hash.
/// </summary>
public interface ILoginThrottle
{
    Task<ThrottleCheck> CheckAsync(string email, string? clientAddress, CancellationToken cancellationToken);

    Task RecordFailureAsync(string email, string? clientAddress, CancellationToken cancellationToken);

    /// <summary>A successful login, or the account's deletion, clears the account's count (the address keeps its own).</summary>
    Task RecordSuccessAsync(string email, CancellationToken cancellationToken);
}
