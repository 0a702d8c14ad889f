using System.Text.Json;
using System.Text.Json.Nodes;

namespace Qraft.Tests.FunctionsHost;

/// <summary>
/// What the host itself takes from the app's host.json for HTTP: the route prefix, <c>api</c> when unset. Read here
/// apart from the app's own reader, as the host reads the file apart from the worker.
/// </summary>
public static class HostJsonSettings
{
    public static string RoutePrefix(string appDirectory)
    {
        var path = Path.Combine(appDirectory, "host.json");
        var root = File.Exists(path)
            ? JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })
            : null;
        return (root?["extensions"]?["http"]?["routePrefix"]?.GetValue<string>() ?? "api").Trim('/');
    }
}
