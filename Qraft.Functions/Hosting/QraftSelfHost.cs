using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Qraft.Observability;

namespace Qraft.Hosting;

/// <summary>
/// The app started directly (<c>dotnet Qraft.Functions.dll</c>): the same function classes on Kestrel, at the routes
/// their attributes declare under host.json's route prefix.
/// </summary>
public static class QraftSelfHost
{
    /// <summary>Where <c>func start</c> listens too, so scripts and docs need one URL.</summary>
    public const string DefaultUrl = "http://127.0.0.1:7071";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        // A missing registration fails at startup, not on the first request that needs it.
        builder.Host.UseDefaultServiceProvider(provider =>
        {
            provider.ValidateOnBuild = true;
            provider.ValidateScopes = true;
        });
        builder.Logging.ClearProviders();

        builder.AddQraft(QraftHostKind.SelfHost);
        configure?.Invoke(builder);

        var app = builder.Build();
        var pipeline = app.Services.GetRequiredService<HttpPipeline>();
        app.Use((context, next) => pipeline.InvokeAsync(context, () => next(context)));
        app.MapHttpTriggerFunctions(typeof(QraftSelfHost).Assembly, HostJson.ReadRoutePrefix(AppContext.BaseDirectory));
        return app;
    }
}
