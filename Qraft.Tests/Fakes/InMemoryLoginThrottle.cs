using System.Collections.Concurrent;
using Qraft.Security;

namespace Qraft.Tests.Fakes;

/// <summary>
/// <see cref="ILoginThrottle"/> as plain counters without a window, for unit tests of the account rules only; the
/// shared Table Storage throttle has its own tests (Storage/TableLoginThrottleTests).
/// </summary>
internal sealed class InMemoryLoginThrottle(int maxFailuresPerAccount = 5, int maxFailuresPerAddress = 20) : ILoginThrottle
{
    private readonly ConcurrentDictionary<string, int> _accounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _addresses = new(StringComparer.Ordinal);

    /// <summary>How many times a success cleared an account's count.</summary>
    public int Resets { get; private set; }

    public int FailuresOf(string email) => _accounts.GetValueOrDefault(EmailAddress.Key(email));

    public int FailuresFrom(string clientAddress) => _addresses.GetValueOrDefault(clientAddress);

    public Task<ThrottleCheck> CheckAsync(string email, string? clientAddress, CancellationToken cancellationToken)
    {
        var account = FailuresOf(email);
        var address = clientAddress is null ? 0 : FailuresFrom(clientAddress);
        return Task.FromResult(new ThrottleCheck(
            account >= maxFailuresPerAccount || address >= maxFailuresPerAddress, AccountHasFailures: account > 0));
    }

    public Task RecordFailureAsync(string email, string? clientAddress, CancellationToken cancellationToken)
    {
        _accounts.AddOrUpdate(EmailAddress.Key(email), 1, (_, n) => n + 1);
        if (clientAddress is not null)
        {
            _addresses.AddOrUpdate(clientAddress, 1, (_, n) => n + 1);
        }

        return Task.CompletedTask;
    }

    public Task RecordSuccessAsync(string email, CancellationToken cancellationToken)
    {
        _accounts.TryRemove(EmailAddress.Key(email), out _);
        Resets++;
        return Task.CompletedTask;
    }
}
