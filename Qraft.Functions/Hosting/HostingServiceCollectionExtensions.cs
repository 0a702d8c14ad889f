using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Qraft.Hosting;

public static class HostingServiceCollectionExtensions
{
    /// <summary>The shared HTTP pipeline, the health checks and drain-on-SIGTERM.</summary>
    public static IHostApplicationBuilder AddQraftHosting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReplicaOptions>()
            .BindConfiguration("Qraft")
            .Validate(o => o.DrainPeriod >= TimeSpan.Zero, "Qraft__DrainPeriod must not be negative.")
            .ValidateOnStart();

        // The host must outlive the drain, or its shutdown timeout would cut requests the drain exists to finish.
        builder.Services.AddOptions<HostOptions>()
            .Configure<IOptions<ReplicaOptions>>((host, replica) => host.ShutdownTimeout = replica.Value.DrainPeriod + TimeSpan.FromSeconds(10));

        // The executors behind the functions' IActionResults; the Functions ASP.NET Core integration brings its own, and
        // MVC's registrations are TryAdds, so both hosts end up with one set.
        builder.Services.AddMvcCore();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ReplicaState>();
        builder.Services.AddSingleton<HttpPipeline>();
        builder.Services.AddHostedService<DrainOnShutdown>();
        builder.AddQraftHealthChecks();
        return builder;
    }
}
