using Microsoft.Extensions.Hosting;
using Qraft.GraphQL;
using Qraft.Mail;
using Qraft.Observability;
using Qraft.Security;
using Qraft.Storage;
using Qraft.Users;

namespace Qraft.Hosting;

/// <summary>The single composition root both hosts share: one call per concern folder.</summary>
public static class QraftComposition
{
    public static IHostApplicationBuilder AddQraft(this IHostApplicationBuilder builder, QraftHostKind host)
    {
        builder.AddQraftHosting();
        builder.AddQraftObservability(host);
        builder.AddQraftStorage();
        builder.AddQraftSecurity();
        builder.AddQraftMail();
        builder.AddQraftAccounts();
        builder.AddQraftGraphQL();
        return builder;
    }
}
