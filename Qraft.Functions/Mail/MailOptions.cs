using System.ComponentModel.DataAnnotations;

namespace Qraft.Mail;

public enum SmtpSecurity
{
    /// <summary>STARTTLS when the server offers it, else plain: for a local catcher only.</summary>
    Auto,
    None,
    StartTls,
    SslOnConnect,
}

/// <summary>
/// Outgoing mail (<c>Qraft__Mail__*</c>). Mail is off while <see cref="SmtpHost"/> is empty: accounts work as in the
/// original and no verification or reset mail is sent. On Azure, Communication Services' SMTP endpoint is
/// <c>smtp.azurecommunication.net:587</c> with <see cref="SmtpSecurity.StartTls"/>; see infra/README.md.
/// </summary>
public sealed class MailOptions
{
    public const string SectionName = "Qraft:Mail";

    public string SmtpHost { get; set; } = "";

    [Range(1, 65535)]
    public int SmtpPort { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>Empty: no authentication.</summary>
    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>The sender address; ACS accepts only addresses of a domain linked to the resource.</summary>
    public string From { get; set; } = "";

    /// <summary>The public address of the service; links in mail are this plus <c>/graphql/#…</c> (GraphiQL).</summary>
    public string LinkBaseUrl { get; set; } = "";

    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often each replica looks for mail left due by another (a crash, a failed attempt).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts before a message is given up (logged as an error); backoff doubles from 30 s.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 8;

    public TimeSpan VerificationTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan ResetTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    public bool Enabled => SmtpHost.Length > 0;
}
