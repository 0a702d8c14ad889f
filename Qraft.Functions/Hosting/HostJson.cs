using System.Text.Json;
using System.Text.Json.Nodes;

namespace Qraft.Hosting;

/// <summary>Reads host.json the way the Functions host does, so both hosts serve the same URLs.</summary>
internal static class HostJson
{
    /// <summary>The Functions host's default when host.json says nothing.</summary>
    public const string DefaultRoutePrefix = "api";

    public static string ReadRoutePrefix(string directory)
    {
        var path = Path.Combine(directory, "host.json");
        if (!File.Exists(path))
        {
            return DefaultRoutePrefix;
        }

        var root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var prefix = root?["extensions"]?["http"]?["routePrefix"]?.GetValue<string>();
        return (prefix ?? DefaultRoutePrefix).Trim('/');
    }
}
