using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Qraft.Users;

public static class AccountsServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddQraftAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountOptions>()
            .BindConfiguration("Qraft")
            .Validate(o => o.UserCacheDuration >= TimeSpan.Zero, "Qraft:UserCacheDuration must not be negative.")
            .ValidateOnStart();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<Accounts>();
        builder.Services.AddSingleton<AccountDeletion>();
        builder.Services.AddSingleton<RecentUsers>();
        builder.Services.AddSingleton<AccountEmails>();
        builder.Services.AddSingleton<ISessionRevocation, SessionRevocation>();
        return builder;
    }
}
