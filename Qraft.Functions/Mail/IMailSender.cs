namespace Qraft.Mail;

/// <summary>Hands one message to the mail server; throws when it was not accepted.</summary>
public interface IMailSender
{
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}
