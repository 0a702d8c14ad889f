using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Qraft.Users;

public static class AccountsServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddQraftAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountOptions>().BindConfiguration("Qraft");
        builder.Services.AddSingleton<Accounts>();
        return builder;
    }
}
