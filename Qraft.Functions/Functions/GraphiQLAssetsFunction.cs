using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Qraft.GraphQL.GraphiQL;

namespace Qraft.Functions;

public sealed class GraphiQLAssetsFunction(GraphiQLPage page)
{
    [Function("graphiqlAssets")]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "graphql/static/{file}")] HttpRequest request,
        string file) => page.Asset(file);
}
