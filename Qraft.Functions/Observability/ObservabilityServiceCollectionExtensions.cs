using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Qraft.Hosting;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Qraft.Observability;

public static class ObservabilityServiceCollectionExtensions
{
    /// <summary>About a second of log lines at full load: room for bursts while the writer catches up.</summary>
    private const int LogQueueLength = 10_000;

    /// <summary>
    /// Logs to the console (unless the Functions host already collects the worker's logs) and to a size-rolling
    /// JSON-lines file per replica; metrics in a registry of this app's own.
    /// </summary>
    public static IHostApplicationBuilder AddQraftObservability(this IHostApplicationBuilder builder, bool writeToConsole)
    {
        builder.Services.AddOptions<FileLogOptions>()
            .BindConfiguration("Logging:File")
            .Validate(o => o.FileSizeLimitBytes > 0 && o.RetainedFileCountLimit > 0, "Logging:File limits must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<QraftMetrics>();

        // Serilog's static Log.Logger stays untouched: each host owns its logger, so in-process replicas in tests stay apart.
        builder.Services.AddSerilog(
            (services, logger) =>
            {
                var instance = services.GetRequiredService<IOptions<ReplicaOptions>>().Value.Instance;
                var file = services.GetRequiredService<IOptions<FileLogOptions>>().Value;
                logger
                    .MinimumLevel.Information()
                    .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
                    .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
                    .MinimumLevel.Override("Azure", LogEventLevel.Warning)
                    .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
                    .ReadFrom.Configuration(services.GetRequiredService<IConfiguration>())
                    .Enrich.FromLogContext()
                    .Enrich.WithProperty("instance", instance)
                    .Enrich.With<SecretRedactor>()

                    // One line per operation is thousands a second under load. Written inline, each cost a request
                    // thread two write(2) calls and a lock, and console lines wait on whoever reads the pipe
                    // (supervisord); one background writer with a buffered file does the same work in fewer system
                    // calls, off the request path. A full queue blocks rather than drops: every operation keeps its line.
                    .WriteTo.Async(
                        sinks =>
                        {
                            sinks.File(
                                new CompactJsonFormatter(),
                                string.IsNullOrWhiteSpace(file.Path) ? Path.Combine("logs", $"qraft_users-{instance}.log") : file.Path,
                                fileSizeLimitBytes: file.FileSizeLimitBytes,
                                rollOnFileSizeLimit: true,
                                retainedFileCountLimit: file.RetainedFileCountLimit,
                                buffered: true,
                                flushToDiskInterval: TimeSpan.FromSeconds(1));
                            if (writeToConsole)
                            {
                                sinks.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture);
                            }
                        },
                        bufferSize: LogQueueLength,
                        blockWhenFull: true);
            },
            preserveStaticLogger: true,
            writeToProviders: true);
        return builder;
    }
}
