namespace Qraft.Mail;

/// <summary>A message to one recipient, plain text.</summary>
public sealed record OutgoingMail(string To, string Subject, string Text);

/// <param name="Attempts">Delivery attempts so far, this one included.</param>
public sealed record ClaimedMail(string Id, OutgoingMail? Mail, int Attempts);

/// <summary>
/// Mail accepted but not yet delivered, shared by all replicas. A message is written here before the request that
/// caused it is answered, so a replica that dies before sending loses nothing: another one sends it when it is due.
/// </summary>
public interface IMailOutbox
{
    /// <summary>
    /// Stores a message already claimed by the caller for its first attempt: it is due again at
    /// <paramref name="retryAt"/>, when any replica's poll takes it if the caller did not deliver it (a crash, a failed
    /// send). <paramref name="mail"/> null stores a placeholder that is dropped unsent (see <see cref="MailDelivery"/>).
    /// </summary>
    Task<ClaimedMail> AddClaimedAsync(OutgoingMail? mail, DateTimeOffset retryAt, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the message for one attempt: its next attempt moves to <paramref name="retryAt"/> under the ETag just read,
    /// so only one replica sends it, and a crash mid-send leaves it due again then. Null when another replica took it.
    /// </summary>
    Task<ClaimedMail?> ClaimAsync(string id, Func<int, DateTimeOffset> retryAt, CancellationToken cancellationToken);

    Task RemoveAsync(string id, CancellationToken cancellationToken);
}
