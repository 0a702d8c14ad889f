using System.Collections.Concurrent;
using Qraft.Mail;

namespace Qraft.Tests.Fakes;

/// <summary>
/// <see cref="IMailOutbox"/> in a dictionary, for unit tests of <see cref="MailDelivery"/>'s retry rules; the Table
/// Storage outbox is exercised against Azurite by the mail flow tests.
/// </summary>
internal sealed class InMemoryMailOutbox(TimeProvider time) : IMailOutbox
{
    private readonly ConcurrentDictionary<string, (OutgoingMail? Mail, DateTimeOffset Due, int Attempts)> _rows = new();

    public int Count => _rows.Count;

    public Task<ClaimedMail> AddClaimedAsync(OutgoingMail? mail, DateTimeOffset retryAt, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7().ToString("N");
        _rows[id] = (mail, retryAt, 1);
        return Task.FromResult(new ClaimedMail(id, mail, 1));
    }

    public Task<IReadOnlyList<string>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([.. _rows.Where(r => r.Value.Due <= now).Select(r => r.Key).Order(StringComparer.Ordinal).Take(max)]);

    public Task<ClaimedMail?> ClaimAsync(string id, Func<int, DateTimeOffset> retryAt, CancellationToken cancellationToken)
    {
        if (!_rows.TryGetValue(id, out var row) || row.Due > time.GetUtcNow())
        {
            return Task.FromResult<ClaimedMail?>(null);
        }

        var attempts = row.Attempts + 1;
        _rows[id] = row with { Due = retryAt(attempts), Attempts = attempts };
        return Task.FromResult<ClaimedMail?>(new ClaimedMail(id, row.Mail, attempts));
    }

    public Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        _rows.TryRemove(id, out _);
        return Task.CompletedTask;
    }
}
