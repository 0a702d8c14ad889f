using Microsoft.Extensions.DependencyInjection;

namespace Qraft.GraphQL.GraphiQL;

public static class GraphiQLServiceCollectionExtensions
{
    public static IServiceCollection AddQraftGraphiQL(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        // Singleton: the page and assets are read and hashed once per process.
        services.AddSingleton<GraphiQLPage>();
        return services;
    }
}
