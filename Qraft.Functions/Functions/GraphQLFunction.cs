using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Qraft.GraphQL;

namespace Qraft.Functions;

/// <summary>The original's GraphQL endpoint, <c>/graphql/</c>, with GraphiQL for browsers.</summary>
public sealed class GraphQLFunction(GraphQLHttpHandler handler)
{
    [Function("graphql")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "graphql")] HttpRequest request,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(request, cancellationToken);
}
