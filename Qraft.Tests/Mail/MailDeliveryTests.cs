using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Qraft.Mail;
using Qraft.Tests.Fakes;

namespace Qraft.Tests.Mail;

/// <summary>The outbox's retry rules with a fake clock and a mail server that fails on demand.</summary>
public sealed class MailDeliveryTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero));
    private readonly FlakySender _sender = new();

    [Fact]
    public async Task AFailedSendStaysInTheOutboxAndIsSentOnceItsBackoffHasPassed()
    {
        var outbox = new InMemoryMailOutbox(_time);
        var delivery = Delivery(outbox, maxAttempts: 8);
        _sender.FailuresLeft = 1;
        await delivery.QueueAsync(new OutgoingMail("u@example.com", "Reset your password", "link"), CancellationToken.None);

        Assert.Equal(0, await delivery.SendDueAsync(CancellationToken.None));
        Assert.Equal(0, await delivery.SendDueAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, await delivery.SendDueAsync(CancellationToken.None));

        Assert.Equal(0, outbox.Count);
        Assert.Equal(["u@example.com"], _sender.Sent);
    }

    [Fact]
    public async Task AMessageIsGivenUpAfterTheLastAttemptAndAPlaceholderIsNeverSent()
    {
        var outbox = new InMemoryMailOutbox(_time);
        var delivery = Delivery(outbox, maxAttempts: 2);
        _sender.FailuresLeft = int.MaxValue;
        await delivery.QueueAsync(new OutgoingMail("u@example.com", "Reset your password", "link"), CancellationToken.None);
        await delivery.QueueAsync(null, CancellationToken.None);

        await delivery.SendDueAsync(CancellationToken.None);
        Assert.Equal(1, outbox.Count);
        _time.Advance(TimeSpan.FromSeconds(30));
        await delivery.SendDueAsync(CancellationToken.None);

        Assert.Equal(0, outbox.Count);
        Assert.Equal(2, _sender.Attempts);
        Assert.Empty(_sender.Sent);
    }

    [Fact]
    public async Task AQueuedMessageIsTheQueueingReplicasUntilItsFirstBackoffThenAnyReplicaSendsIt()
    {
        var outbox = new InMemoryMailOutbox(_time);
        var crashed = Delivery(outbox, maxAttempts: 8);
        var other = Delivery(outbox, maxAttempts: 8);
        await crashed.QueueAsync(new OutgoingMail("u@example.com", "Verify your email", "link"), CancellationToken.None);

        Assert.Equal(0, await other.SendDueAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, await other.SendDueAsync(CancellationToken.None));

        Assert.Equal(0, outbox.Count);
        Assert.Equal(["u@example.com"], _sender.Sent);
    }

    [Fact]
    public async Task TheRunningSenderDeliversAQueuedMessageWithoutWaitingForAPoll()
    {
        var outbox = new InMemoryMailOutbox(_time);
        using var delivery = Delivery(outbox, maxAttempts: 8);
        await delivery.StartAsync(CancellationToken.None);
        await delivery.QueueAsync(new OutgoingMail("u@example.com", "Verify your email", "link"), CancellationToken.None);

        // The fake clock never moves, so only the queued hand-over can deliver it; bounded in real time.
        for (var waited = 0; outbox.Count > 0 && waited < 100; waited++)
        {
            await Task.Delay(50);
        }

        await delivery.StopAsync(CancellationToken.None);
        Assert.Equal(0, outbox.Count);
        Assert.Equal(["u@example.com"], _sender.Sent);
    }

    private MailDelivery Delivery(InMemoryMailOutbox outbox, int maxAttempts) => new(
        outbox,
        _sender,
        Options.Create(new MailOptions { SmtpHost = "127.0.0.1", MaxAttempts = maxAttempts }),
        _time,
        NullLogger<MailDelivery>.Instance);

    private sealed class FlakySender : IMailSender
    {
        public int FailuresLeft { get; set; }

        public int Attempts { get; private set; }

        public List<string> Sent { get; } = [];

        public Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
        {
            Attempts++;
            if (FailuresLeft-- > 0)
            {
                throw new IOException("connection refused");
            }

            Sent.Add(mail.To);
            return Task.CompletedTask;
        }
    }
}
