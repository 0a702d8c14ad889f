using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Qraft.Mail;

/// <summary>
/// Sends what the outbox holds. <see cref="QueueAsync"/> stores the message already claimed for its first attempt and
/// hands it to this replica's sender, so the request that queued it never waits on SMTP and its answer cannot show
/// whether a message was sent. Every replica also looks for due mail every <see cref="MailOptions.PollInterval"/>,
/// which picks up what a crashed replica accepted and what failed before. Attempts back off (30 s doubling, capped at
/// an hour) up to <see cref="MailOptions.MaxAttempts"/>. Delivery is at least once: a replica that dies after the
/// server accepted a message and before removing it sends it again after the backoff.
/// </summary>
/// <remarks>
/// Claiming on insert saves a message three of its seven storage calls (a claim's read and conditional update, and
/// the other replicas' polls that found it due and lost the race for it, bench/FINDINGS.md); the cost is that mail
/// left by a crashed replica waits for the first backoff rather than the next poll.
/// </remarks>
public sealed partial class MailDelivery(
    IMailOutbox outbox,
    IMailSender sender,
    IOptions<MailOptions> options,
    TimeProvider time,
    ILogger<MailDelivery> logger) : BackgroundService
{
    private const int BatchSize = 50;

    /// <summary>
    /// Claimed messages waiting for this replica's sender. When it is full, a message stays in the outbox only, and
    /// a poll sends it once its first backoff has passed: a burst delays mail but never loses it or blocks a request.
    /// </summary>
    private const int QueuedLimit = 1_000;

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromHours(1);

    private readonly Channel<ClaimedMail> _queued = Channel.CreateBounded<ClaimedMail>(
        new BoundedChannelOptions(QueuedLimit) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Stores the message (or, with null, a placeholder that costs the same write and is never sent), then hands it to the sender.</summary>
    public async Task QueueAsync(OutgoingMail? mail, CancellationToken cancellationToken) =>
        _queued.Writer.TryWrite(await outbox.AddClaimedAsync(mail, RetryAt(1), cancellationToken));

    /// <summary>What this replica queued, then one pass over the due mail; tests call it, the loop runs the two apart.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken) =>
        await SendQueuedAsync(cancellationToken) + await SendPolledAsync(cancellationToken);

    private async Task<int> SendQueuedAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        while (_queued.Reader.TryRead(out var claimed))
        {
            sent += await DeliverAsync(claimed, cancellationToken) ? 1 : 0;
        }

        return sent;
    }

    private async Task<int> SendPolledAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var id in await outbox.DueAsync(time.GetUtcNow(), BatchSize, cancellationToken))
        {
            if (await outbox.ClaimAsync(id, RetryAt, cancellationToken) is { } claimed)
            {
                sent += await DeliverAsync(claimed, cancellationToken) ? 1 : 0;
            }
        }

        return sent;
    }

    /// <summary>One attempt at a claimed message; true when the server accepted it.</summary>
    private async Task<bool> DeliverAsync(ClaimedMail claimed, CancellationToken cancellationToken)
    {
        if (claimed.Mail is null)
        {
            await outbox.RemoveAsync(claimed.Id, cancellationToken);
            return false;
        }

        try
        {
            await sender.SendAsync(claimed.Mail, cancellationToken);
            await outbox.RemoveAsync(claimed.Id, cancellationToken);
            return true;
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (claimed.Attempts >= options.Value.MaxAttempts)
            {
                LogGaveUp(logger, claimed.Id, claimed.Attempts, failure.GetType().Name);
                await outbox.RemoveAsync(claimed.Id, cancellationToken);
            }
            else
            {
                LogRetrying(logger, claimed.Id, claimed.Attempts, failure.GetType().Name);
            }

            return false;
        }
    }

    /// <summary>
    /// Sends what is queued as it comes and polls once every <see cref="MailOptions.PollInterval"/>, counted from the
    /// last poll, so a steady stream of sign-ups never postpones the poll that picks up another replica's leftovers.
    /// </summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var nextPoll = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (time.GetUtcNow() >= nextPoll)
                {
                    nextPoll = time.GetUtcNow() + options.Value.PollInterval;
                    await SendPolledAsync(stoppingToken);
                }

                await SendQueuedAsync(stoppingToken);
                await WaitForQueuedAsync(nextPoll - time.GetUtcNow(), stoppingToken);
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

    /// <summary>Until something is queued or <paramref name="longest"/> has passed.</summary>
    private async Task WaitForQueuedAsync(TimeSpan longest, CancellationToken stoppingToken)
    {
        if (longest <= TimeSpan.Zero)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(longest, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        try
        {
            await _queued.Reader.WaitToReadAsync(either.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The poll is due.
        }
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
