using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Qraft.GraphQL.Types;

namespace Qraft.GraphQL;

/// <summary>The original service's schema (SPEC §3), code-first so every name and nullability matches graphene's.</summary>
public sealed class QraftSchema : Schema
{
    public QraftSchema(IServiceProvider services) : base(services)
    {
        Query = services.GetRequiredService<QueryType>();
        Mutation = services.GetRequiredService<MutationType>();
    }
}
