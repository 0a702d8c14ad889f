using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Qraft.Mail;

/// <summary>
/// Sends what the outbox holds. <see cref="QueueAsync"/> stores the message and wakes this replica's sender, so the
/// request that queued it never waits on SMTP and its answer cannot show whether a message was sent. Every replica
/// also looks for due mail every <see cref="MailOptions.PollInterval"/>, which picks up what a crashed replica
/// accepted and what failed before. Attempts back off (30 s doubling, capped at an hour) up to
/// <see cref="MailOptions.MaxAttempts"/>. Delivery is at least once: a replica that dies after the server accepted a
/// message and before removing it sends it again after the backoff.
/// </summary>
public sealed partial class MailDelivery(
    IMailOutbox outbox,
    IMailSender sender,
    IOptions<MailOptions> options,
    TimeProvider time,
    ILogger<MailDelivery> logger) : BackgroundService
{
    private const int BatchSize = 50;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromHours(1);

    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Stores the message (or, with null, a placeholder that costs the same write and is never sent), then wakes the sender.</summary>
    public async Task QueueAsync(OutgoingMail? mail, CancellationToken cancellationToken)
    {
        await outbox.AddAsync(mail, cancellationToken);
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already awake: the batch it runs includes this message.
            }
        }
    }

    /// <summary>One pass over the due mail; the loop and tests call it.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var sent = 0;
        foreach (var id in await outbox.DueAsync(time.GetUtcNow(), BatchSize, cancellationToken))
        {
            if (await outbox.ClaimAsync(id, RetryAt, cancellationToken) is not { } claimed)
            {
                continue;
            }

            if (claimed.Mail is null)
            {
                await outbox.RemoveAsync(id, cancellationToken);
                continue;
            }

            try
            {
                await sender.SendAsync(claimed.Mail, cancellationToken);
                await outbox.RemoveAsync(id, cancellationToken);
                sent++;
            }
            catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (claimed.Attempts >= settings.MaxAttempts)
                {
                    LogGaveUp(logger, id, claimed.Attempts, failure.GetType().Name);
                    await outbox.RemoveAsync(id, cancellationToken);
                }
                else
                {
                    LogRetrying(logger, id, claimed.Attempts, failure.GetType().Name);
                }
            }
        }

        return sent;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SendDueAsync(stoppingToken);
                await _wake.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure)
            {
                // Storage away: the mail stays in the outbox and the next pass tries again.
                LogPassFailed(logger, failure.GetType().Name);
                await Task.Delay(options.Value.PollInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    private DateTimeOffset RetryAt(int attempt)
    {
        var delay = TimeSpan.FromTicks(Math.Min(FirstRetry.Ticks << Math.Min(attempt - 1, 20), LongestRetry.Ticks));
        return time.GetUtcNow() + delay;
    }

    // Only ids, counts and exception types: a message's text carries its link, and its recipient is personal data.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {MailId} attempt {Attempt} failed ({Failure}); it will be retried.")]
    private static partial void LogRetrying(ILogger logger, string mailId, int attempt, string failure);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mail {MailId} given up after {Attempts} attempts ({Failure}).")]
    private static partial void LogGaveUp(ILogger logger, string mailId, int attempts, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail delivery pass failed ({Failure}); retrying at the next poll.")]
    private static partial void LogPassFailed(ILogger logger, string failure);
}
