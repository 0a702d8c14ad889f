using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Core;
using Serilog.Configuration;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Compact;

namespace Qraft.Observability;

public static class ObservabilityServiceCollectionExtensions
{
    /// <summary>About a second of log lines at full load: room for bursts while the writer catches up.</summary>
    private const int LogQueueLength = 10_000;

    /// <summary>
    /// The replica's name (<see cref="InstanceOptions"/>); logs to the console (unless the Functions host already prints
    /// the worker's logs) and to a size-rolling JSON-lines file per replica, with secrets redacted on every path; metrics in a registry of this app's own;
    /// Application Insights when its connection string is set.
    /// </summary>
    public static IHostApplicationBuilder AddQraftObservability(this IHostApplicationBuilder builder, QraftHostKind host)
    {
        builder.Services.AddOptions<InstanceOptions>()
            .BindConfiguration("Qraft")
            .Configure<IConfiguration>((options, configuration) =>
            {
                var instance = configuration["QRAFT_INSTANCE"];
                if (!string.IsNullOrWhiteSpace(instance))
                {
                    options.Instance = instance.Trim();
                }
            })
            .Validate(o => !string.IsNullOrWhiteSpace(o.Instance), "QRAFT_INSTANCE must not be blank.")
            .ValidateOnStart();
        builder.Services.AddOptions<FileLogOptions>()
            .BindConfiguration("Logging:File")
            .Validate(o => o.FileSizeLimitBytes > 0 && o.RetainedFileCountLimit > 0, "Logging:File limits must be positive.")
            .ValidateOnStart();
        builder.Services.AddOptions<ConsoleLogOptions>().BindConfiguration("Logging:Console");
        builder.Services.TryAddSingleton<QraftMetrics>();
        builder.AddQraftLogging(writeToConsole: host == QraftHostKind.SelfHost);
        builder.AddQraftApplicationInsights(host);
        return builder;
    }

    /// <summary>
    /// Serilog as the logger factory, composed here rather than by <c>AddSerilog</c> so that one
    /// <see cref="RedactingSink"/> stands in front of every destination, the Microsoft.Extensions.Logging providers
    /// included (the Functions host's worker channel, Application Insights): <c>AddSerilog(writeToProviders: true)</c>
    /// attaches those outside anything this method could wrap.
    /// </summary>
    private static void AddQraftLogging(this IHostApplicationBuilder builder, bool writeToConsole)
    {
        builder.Services.AddSingleton<LoggerProviderCollection>();

        // Serilog's static Log.Logger stays untouched: each host owns its logger (disposed, and so flushed, with the
        // container), so in-process replicas in tests stay apart.
        builder.Services.AddSingleton(services => CreateLogger(services, writeToConsole));
        builder.Services.AddSingleton<ILoggerFactory>(services =>
        {
            var factory = new SerilogLoggerFactory(
                services.GetRequiredService<Logger>(), dispose: false, services.GetRequiredService<LoggerProviderCollection>());
            foreach (var provider in services.GetServices<ILoggerProvider>())
            {
                factory.AddProvider(provider);
            }

            return factory;
        });
    }

    private static Logger CreateLogger(IServiceProvider services, bool writeToConsole)
    {
        var instance = services.GetRequiredService<IOptions<InstanceOptions>>().Value.Instance;
        var file = services.GetRequiredService<IOptions<FileLogOptions>>().Value;
        var console = services.GetRequiredService<IOptions<ConsoleLogOptions>>().Value;
        var providers = services.GetRequiredService<LoggerProviderCollection>();
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)

            // The health check service logs every failing check as an error, once a second per load balancer probe:
            // a draining replica fails readiness by design, and the storage check logs its own cause.
            .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", LogEventLevel.Fatal)
            .MinimumLevel.Override("Azure", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
            .ReadFrom.Configuration(services.GetRequiredService<IConfiguration>())
            .Enrich.FromLogContext()
            .Enrich.WithProperty("instance", instance)
            .Enrich.With<SecretRedactor>();
        var destinations = LoggerSinkConfiguration.Wrap(sink => new RedactingSink(sink), sinks =>
        {
            // One line per operation is thousands a second under load. Written inline, each cost a request thread two
            // write(2) calls and a lock, and console lines wait on whoever reads the pipe (supervisord); one background
            // writer with a buffered file does the same work in fewer system calls, off the request path. A full queue
            // blocks rather than drops: every operation keeps its line.
            sinks.Async(
                local =>
                {
                    local.File(
                        new CompactJsonFormatter(),
                        string.IsNullOrWhiteSpace(file.Path) ? Path.Combine("logs", $"qraft_users-{instance}.log") : file.Path,
                        fileSizeLimitBytes: file.FileSizeLimitBytes,
                        rollOnFileSizeLimit: true,
                        retainedFileCountLimit: file.RetainedFileCountLimit,
                        buffered: true,
                        flushToDiskInterval: TimeSpan.FromSeconds(1));
                    if (writeToConsole)
                    {
                        local.Console(restrictedToMinimumLevel: console.MinimumLevel, formatProvider: CultureInfo.InvariantCulture);
                    }
                },
                bufferSize: LogQueueLength,
                blockWhenFull: true);
            sinks.Providers(providers);
        });
        return configuration.WriteTo.Sink(destinations).CreateLogger();
    }
}
