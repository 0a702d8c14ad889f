using System.Text.Json.Nodes;
using Qraft.Hosting;
using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.FunctionsHost;

/// <summary>What the worker tells the host while it starts: its capabilities and the functions it indexed.</summary>
[Collection(FunctionsHostCollection.Name)]
public sealed class FunctionsHostStartupTests(FunctionsHostFixture fixture)
{
    [Fact]
    public void TheWorkerReportsTheCapabilitiesTheHostProxiesHttpBy()
    {
        var capabilities = fixture.Harness.Init.Capabilities;

        Assert.True(Uri.TryCreate(capabilities[FunctionsHostHarness.HttpUriCapability], UriKind.Absolute, out var httpUri), string.Join(", ", capabilities));
        Assert.Equal("http", httpUri.Scheme);
        Assert.Equal("True", capabilities["HandlesWorkerTerminateMessage"], ignoreCase: true);
        Assert.Equal("True", capabilities["RpcHttpTriggerMetadataRemoved"], ignoreCase: true);
    }

    /// <remarks>
    /// The only difference allowed: the build writes an empty <c>"properties": {}</c> into each trigger binding of the
    /// file, which the worker leaves out of the raw binding it reports.
    /// </remarks>
    [Fact]
    public void TheWorkerReportsExactlyTheFunctionsOfFunctionsMetadata()
    {
        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.AppOutput, "functions.metadata")))!.AsArray();
        var expected = file.Select(function => Describe(
            function!["name"]!.GetValue<string>(),
            function["scriptFile"]!.GetValue<string>(),
            function["entryPoint"]!.GetValue<string>(),
            function["language"]!.GetValue<string>(),
            function["bindings"]!.AsArray().Select(binding => binding!.DeepClone())));
        var reported = fixture.Harness.Functions.Select(function => Describe(
            function.Name, function.ScriptFile, function.EntryPoint, function.Language, function.RawBindings.Select(raw => JsonNode.Parse(raw)!)));

        Assert.Equal(expected.Order(StringComparer.Ordinal), reported.Order(StringComparer.Ordinal));
        Assert.Equal(file.Count, fixture.Harness.Functions.Select(f => f.FunctionId).Where(id => id.Length > 0).Distinct().Count());
    }

    [Fact]
    public void EveryRouteAndMethodTheAttributesDeclareIsWhatTheWorkerReports()
    {
        var declared = HttpTriggerFunction.Discover(typeof(QraftFunctionsHost).Assembly)
            .Select(f => $"{f.Name} {string.Join(',', f.Methods)} /{f.Route}");
        var reported = fixture.Harness.Functions.Select(HttpTriggerBinding.From).OfType<HttpTriggerBinding>()
            .Select(b => $"{b.FunctionName} {string.Join(',', b.Methods)} /{b.Route}");

        Assert.Equal(declared.Order(StringComparer.Ordinal), reported.Order(StringComparer.Ordinal));
        Assert.Contains("graphql GET,POST,PUT,PATCH,DELETE /graphql", reported);
    }

    /// <summary>One function as a canonical line: its identity and its bindings, each with keys sorted and empty properties dropped.</summary>
    private static string Describe(string name, string scriptFile, string entryPoint, string language, IEnumerable<JsonNode> bindings)
    {
        var canonical = bindings.Select(binding =>
        {
            var fields = binding.AsObject()
                .Where(p => !(p.Key == "properties" && p.Value is JsonObject { Count: 0 }))
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => $"{p.Key}={p.Value?.ToJsonString()}");
            return "{" + string.Join(";", fields) + "}";
        });
        return $"{name} {scriptFile} {entryPoint} {language} {string.Join(" ", canonical.Order(StringComparer.Ordinal))}";
    }
}
