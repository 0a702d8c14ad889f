using System.Text.Json.Nodes;

namespace Qraft.Tests.Infra;

/// <summary>
/// <c>infra/main.bicep</c> compiled once to ARM JSON, with lookups that see through module deployments (each module
/// becomes a nested <c>Microsoft.Resources/deployments</c> whose template carries its resources).
/// </summary>
public sealed class CompiledTemplate : IAsyncLifetime
{
    private JsonObject? _root;

    public JsonObject Root => _root ?? throw new InvalidOperationException("The template has not been compiled.");

    /// <summary>The ARM JSON as text, for checks that no expression anywhere does something.</summary>
    public string Text { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var result = await BicepCli.RunAsync("build", BicepCli.MainTemplate, "--stdout");
        Assert.True(result.ExitCode == 0, result.StandardError);
        Text = result.StandardOutput;
        _root = JsonNode.Parse(Text)!.AsObject();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Every resource of <paramref name="type"/>, in the main template and in every module.</summary>
    public IReadOnlyList<JsonObject> Resources(string type) =>
        AllResources(Root).Where(resource => (string?)resource["type"] == type).ToList();

    public JsonObject Single(string type) => Assert.Single(Resources(type));

    /// <summary>The template of the module deployment named <paramref name="deploymentName"/>.</summary>
    public JsonObject Module(string deploymentName) =>
        Assert.Single(Resources("Microsoft.Resources/deployments"), deployment => (string?)deployment["name"] == deploymentName)
            ["properties"]!["template"]!.AsObject();

    private static IEnumerable<JsonObject> AllResources(JsonObject template)
    {
        // Templates with language version 2.0 key resources by symbolic name; older ones list them.
        var resources = template["resources"] switch
        {
            JsonArray list => list.Select(node => node!.AsObject()),
            JsonObject named => named.Select(pair => pair.Value!.AsObject()),
            _ => [],
        };
        foreach (var resource in resources)
        {
            yield return resource;
            if (resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in AllResources(nested))
                {
                    yield return inner;
                }
            }
        }
    }
}
