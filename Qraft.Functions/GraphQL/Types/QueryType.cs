using GraphQL;
using GraphQL.Types;

namespace Qraft.GraphQL.Types;

public sealed class QueryType : ObjectGraphType
{
    public QueryType(AuthResolvers resolvers)
    {
        Name = "Query";
        Field<UserType>("me")
            .Description("The caller's own account; needs a valid access token.")
            .ResolveAsync(async c => await resolvers.MeAsync(c.Request(), c.CancellationToken));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserType>>>>("users")
            .Description("Staff only. Pages by email: pass the last email seen as `after`.")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 100)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => await resolvers.UsersAsync(
                c.Request(), c.GetArgument("first", 100), c.GetArgument<string?>("after"), c.CancellationToken));
    }
}
