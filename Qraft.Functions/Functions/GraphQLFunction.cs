using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Qraft.GraphQL;

namespace Qraft.Functions;

/// <summary>The original's GraphQL endpoint, <c>/graphql/</c>, with GraphiQL for browsers.</summary>
public sealed class GraphQLFunction(GraphQLHttpHandler handler)
{
    /// <remarks>
    /// PUT, PATCH and DELETE are bound only to be refused by the handler: graphene-django answered them with a 405 that
    /// carries a GraphQL error and <c>Allow</c>, where routing alone would give an empty 405 (or 404 in the host).
    /// </remarks>
    [Function("graphql")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", Route = "graphql")] HttpRequest request,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(request, cancellationToken);
}
