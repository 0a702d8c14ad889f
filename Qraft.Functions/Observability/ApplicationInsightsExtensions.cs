using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.ApplicationInsights.WorkerService;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.ApplicationInsights;

namespace Qraft.Observability;

/// <summary>
/// Application Insights (SPEC §5): requests, dependencies, exceptions and Information-level logs when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set; when it is not, nothing of the SDK is registered, so nothing is
/// sent and nothing warns.
/// </summary>
internal static class ApplicationInsightsExtensions
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    public static IHostApplicationBuilder AddQraftApplicationInsights(this IHostApplicationBuilder builder, QraftHostKind host)
    {
        var services = builder.Services;
        var connectionString = builder.Configuration[ConnectionStringSetting];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            services.AddSingleton<IRequestTelemetry, NoRequestTelemetry>();
            return builder;
        }

        // Passed explicitly, so the value that switched telemetry on is the one used, whichever source it came from.
        services.AddApplicationInsightsTelemetryWorkerService(new ApplicationInsightsServiceOptions { ConnectionString = connectionString });
        if (host == QraftHostKind.Functions)
        {
            // Tells the host the worker sends its own logs (so the host drops its copies) and tags worker telemetry.
            // The self host has no host to tell: there it would compose, but only to mislabel the telemetry.
            services.ConfigureFunctionsApplicationInsights();
            services.AddSingleton<IRequestTelemetry, NoRequestTelemetry>();
        }
        else
        {
            services.AddSingleton<IRequestTelemetry, ApplicationInsightsRequestTelemetry>();
        }

        // Registered after the SDK's own initializers so they run last: the role is ours, and redaction sees every property.
        services.AddSingleton<ITelemetryInitializer, ReplicaTelemetryInitializer>();
        services.AddSingleton<ITelemetryInitializer, RedactingTelemetryInitializer>();

        // The SDK hard-codes a Warning floor for its logger provider; SPEC §5 wants Information. Serilog's level
        // switches decide instead, as they do for every other destination.
        services.Configure<LoggerFilterOptions>(options => options.Rules
            .Where(rule => rule.ProviderName == typeof(ApplicationInsightsLoggerProvider).FullName)
            .ToList()
            .ForEach(rule => options.Rules.Remove(rule)));

        services.AddHostedService<FlushTelemetryOnStop>();
        return builder;
    }

    /// <summary>The SDK sends in batches every few seconds; whatever is still buffered at shutdown goes out now.</summary>
    private sealed class FlushTelemetryOnStop(TelemetryClient client) : IHostedLifecycleService
    {
        public Task StoppedAsync(CancellationToken cancellationToken) => client.FlushAsync(cancellationToken);

        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
