using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Qraft.Functions;
using Qraft.Hosting;

namespace Qraft.Tests.Hosting;

/// <summary>
/// The Functions-host composition, which no test can run under a real host here (no Core Tools): every function class
/// and the worker middleware resolve from its container, and a function's result executes with its services.
/// </summary>
public sealed class FunctionsHostCompositionTests : IDisposable
{
    private readonly DirectoryInfo _logs = Directory.CreateTempSubdirectory("qraft-func-logs-");

    public void Dispose() => _logs.Delete(recursive: true);

    [Fact]
    public void EveryHttpFunctionAndTheWorkerMiddlewareResolveUnderTheFunctionsHost()
    {
        using var host = BuildFunctionsHost();

        foreach (var function in HttpTriggerFunction.Discover(typeof(QraftFunctionsHost).Assembly))
        {
            Assert.NotNull(ActivatorUtilities.CreateInstance(host.Services, function.Method.DeclaringType!));
        }

        Assert.NotNull(ActivatorUtilities.CreateInstance<HttpPipelineWorkerMiddleware>(host.Services));
    }

    [Fact]
    public async Task AFunctionResultExecutesWithTheFunctionsHostServices()
    {
        using var host = BuildFunctionsHost();
        using var scope = host.Services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Response.Body = new MemoryStream();

        var result = await ActivatorUtilities.CreateInstance<HealthFunction>(host.Services).Run(context.Request, CancellationToken.None);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal("alive", System.Text.Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()));
    }

    private Microsoft.Extensions.Hosting.IHost BuildFunctionsHost() => QraftFunctionsHost.Build(
    [
        $"--Jwt:SigningKey={Convert.ToBase64String(RandomNumberGenerator.GetBytes(48))}",
        "--QRAFT_INSTANCE=func",
        $"--Logging:File:Path={Path.Combine(_logs.FullName, "func.log")}",
    ]);
}
