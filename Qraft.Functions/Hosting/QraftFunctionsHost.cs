using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Qraft.Observability;

namespace Qraft.Hosting;

/// <summary>The app as an ordinary isolated worker with ASP.NET Core integration, driven by the Functions host.</summary>
public static class QraftFunctionsHost
{
    public static IHost Build(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        builder.UseWhen<HttpPipelineWorkerMiddleware>(context => context.FunctionDefinition.InputBindings.Values
            .Any(binding => binding.Type.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase)));

        builder.AddQraft(QraftHostKind.Functions);
        return builder.Build();
    }
}
