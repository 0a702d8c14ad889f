using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using MimeKit;

namespace Qraft.Mail;

public static class MailServiceCollectionExtensions
{
    /// <summary>Mail settings (checked at startup when mail is on), the MailKit sender and the outbox's delivery loop.</summary>
    public static IHostApplicationBuilder AddQraftMail(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<MailOptions>()
            .BindConfiguration(MailOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(
                options => !options.Enabled || MailboxAddress.TryParse(options.From, out _),
                $"{MailOptions.SectionName}:From must be a mail address when {MailOptions.SectionName}:SmtpHost is set.")
            .Validate(
                options => !options.Enabled || Uri.TryCreate(options.LinkBaseUrl, UriKind.Absolute, out var link) && link.Scheme is "http" or "https",
                $"{MailOptions.SectionName}:LinkBaseUrl must be an absolute http(s) URL when {MailOptions.SectionName}:SmtpHost is set.")
            .Validate(
                options => options.SendTimeout > TimeSpan.Zero && options.PollInterval > TimeSpan.Zero
                    && options.VerificationTokenLifetime > TimeSpan.Zero && options.ResetTokenLifetime > TimeSpan.Zero,
                $"{MailOptions.SectionName}: SendTimeout, PollInterval and the token lifetimes must be positive.")
            .ValidateOnStart();
        services.AddSingleton<IMailSender, SmtpMailSender>();
        services.AddSingleton<MailDelivery>();
        services.AddHostedService(provider => provider.GetRequiredService<MailDelivery>());
        return builder;
    }
}
