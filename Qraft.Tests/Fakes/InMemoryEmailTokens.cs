using System.Collections.Concurrent;
using Qraft.Security;

namespace Qraft.Tests.Fakes;

/// <summary>
/// <see cref="IEmailTokens"/> in a dictionary, for unit tests of the resolvers only; the Table Storage store's
/// single use across replicas is tested against Azurite (GraphQL/MailFlowTests).
/// </summary>
internal sealed class InMemoryEmailTokens(TimeProvider time) : IEmailTokens
{
    private readonly ConcurrentDictionary<(EmailTokenPurpose, string), (string Email, DateTimeOffset ExpiresAt)> _tokens = new();

    public Task<string> IssueAsync(EmailTokenPurpose purpose, string email, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid().ToString("N");
        _tokens[(purpose, token)] = (email, time.GetUtcNow() + lifetime);
        return Task.FromResult(token);
    }

    public Task<EmailTokenResult> ConsumeAsync(EmailTokenPurpose purpose, string token, CancellationToken cancellationToken) =>
        Task.FromResult(!_tokens.TryRemove((purpose, token), out var found)
            ? new EmailTokenResult(EmailTokenStatus.Invalid, null)
            : found.ExpiresAt <= time.GetUtcNow()
                ? new EmailTokenResult(EmailTokenStatus.Expired, null)
                : new EmailTokenResult(EmailTokenStatus.Consumed, found.Email));

    public Task<int> DeleteAllAsync(string email, CancellationToken cancellationToken)
    {
        var owned = _tokens.Where(t => t.Value.Email == email).Select(t => t.Key).ToList();
        return Task.FromResult(owned.Count(key => _tokens.TryRemove(key, out _)));
    }
}
