using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
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

        // The host forwards the worker's response headers as they are, so the worker's own Kestrel must not name
        // itself either: a client sees the same headers as from the self-host.
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.AddServerHeader = false);
        builder.UseWhen<HttpPipelineWorkerMiddleware>(context => context.FunctionDefinition.InputBindings.Values
            .Any(binding => binding.Type.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase)));

        builder.AddQraft(QraftHostKind.Functions);

        // The host stops routing to a worker before it sends WorkerTerminate, then kills the process after a 5 s grace
        // period: a drain here would serve nobody and only hold the exit past it. The host does the draining.
        builder.Services.PostConfigure<ReplicaOptions>(replica => replica.DrainPeriod = TimeSpan.Zero);
        return builder.Build();
    }
}
