using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Qraft.Hosting;

namespace Qraft.Tests.Hosting;

public sealed class HttpTriggerFunctionTests
{
    private static readonly IReadOnlyList<HttpTriggerFunction> Functions = HttpTriggerFunction.Discover(typeof(QraftSelfHost).Assembly);

    [Theory]
    [InlineData("graphql", "graphql", "GET,POST,PUT,PATCH,DELETE")]
    [InlineData("health", "health", "GET")]
    [InlineData("ready", "health/ready", "GET")]
    [InlineData("metrics", "metrics", "GET")]
    public void SelfHostServesEachFunctionAtItsDeclaredRouteAndMethods(string name, string route, string methods)
    {
        var function = Assert.Single(Functions, f => f.Name == name);

        Assert.Equal(route, function.RouteTemplate(HostJson.ReadRoutePrefix(AppContext.BaseDirectory)));
        Assert.Equal(methods, string.Join(',', function.Methods));
    }

    [Fact]
    public void AFunctionThatRequiresKeysIsRefusedSinceTheSelfHostChecksNone()
    {
        // The test assembly's only function is KeyedFunction below.
        var refused = Assert.Throws<InvalidOperationException>(() => HttpTriggerFunction.Discover(typeof(KeyedFunction).Assembly));

        Assert.Contains("'keyed' requires Function keys", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RoutePrefixFromHostJsonIsEmptySoTheApiStaysAtSlashGraphql() =>
        Assert.Equal(string.Empty, HostJson.ReadRoutePrefix(AppContext.BaseDirectory));

    [Fact]
    public void MissingHostJsonMeansTheFunctionsHostDefaultPrefix()
    {
        var empty = Directory.CreateTempSubdirectory("qraft-hostjson-");
        try
        {
            Assert.Equal("api", HostJson.ReadRoutePrefix(empty.FullName));
            Assert.Equal("api/graphql", Assert.Single(Functions, f => f.Name == "graphql").RouteTemplate("api"));
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public void BuildEmitsFunctionsMetadataAgreeingWithTheAttributes()
    {
        var metadataPath = Path.Combine(Qraft.Tests.Infrastructure.RepoPaths.AppOutput, "functions.metadata");
        Assert.True(File.Exists(metadataPath), "the Functions SDK did not emit functions.metadata next to the app");
        using var metadata = JsonDocument.Parse(File.ReadAllText(metadataPath));

        var emitted = metadata.RootElement.EnumerateArray()
            .Select(f => (
                Name: f.GetProperty("name").GetString()!,
                Trigger: f.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger")))
            .ToDictionary(f => f.Name, f => f.Trigger);

        foreach (var function in Functions)
        {
            var trigger = emitted[function.Name];
            Assert.Equal(function.Route, trigger.GetProperty("route").GetString());
            Assert.Equal(
                function.Methods.Select(m => m.ToLowerInvariant()),
                trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
            Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString());
        }

        Assert.Superset(new HashSet<string> { "graphql", "health", "ready", "metrics" }, emitted.Keys.ToHashSet());
    }

    [Theory]
    [InlineData(new[] { "--functions-uri", "http://127.0.0.1:5000", "--functions-worker-id", "w" }, true)]
    [InlineData(new[] { "--host", "127.0.0.1", "--port", "5000", "--workerId", "w" }, true)]
    [InlineData(new[] { "--urls", "http://127.0.0.1:7071" }, false)]
    public void FunctionsHostIsRecognisedByTheArgumentsItPassesItsWorker(string[] args, bool expected) =>
        Assert.Equal(expected, FunctionsHostDetector.IsFunctionsWorker(args));
}

/// <summary>A function declaring a key, as no function of the app does.</summary>
public sealed class KeyedFunction
{
    [Function("keyed")]
    public static string Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "keyed")] object request) => request.ToString()!;
}
