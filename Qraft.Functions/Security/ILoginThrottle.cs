namespace Qraft.Security;

/// <summary>
/// Failed-login throttling per account and per client address, shared by all replicas.
/// Callers ask before hashing, so a throttled attempt costs no hash.
/// </summary>
public interface ILoginThrottle
{
    Task<bool> IsThrottledAsync(string email, string? clientAddress, CancellationToken cancellationToken);

    Task RecordFailureAsync(string email, string? clientAddress, CancellationToken cancellationToken);

    /// <summary>A successful login clears the account's count (the address keeps its own).</summary>
    Task RecordSuccessAsync(string email, CancellationToken cancellationToken);
}
