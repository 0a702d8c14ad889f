using System.Text.RegularExpressions;
using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Structure;

/// <summary>
/// The function app's concern folders (one namespace each) depend on one another in one direction only, and only
/// Storage talks to Table Storage. Read from the sources, so a new file breaks the rule as soon as it is written.
/// </summary>
public sealed partial class ConcernDependencyTests
{
    private static readonly string AppRoot = RepoPaths.Of("Qraft.Functions");

    [Fact]
    public void NoTwoConcernFoldersDependOnEachOther()
    {
        var graph = DependencyGraph();

        var cycles = graph.Keys
            .SelectMany(from => Reachable(graph, from).Where(to => string.CompareOrdinal(from, to) < 0 && Reachable(graph, to).Contains(from))
                .Select(to => $"{from} <-> {to}"))
            .ToList();

        Assert.True(graph.Count >= 7, $"expected the concern folders, found {string.Join(", ", graph.Keys)}");
        Assert.Empty(cycles);
    }

    [Fact]
    public void OnlyStorageImportsTheTableStorageSdk()
    {
        var outside = SourceFiles()
            .Where(file => file.Folder != "Storage" && TableSdk().IsMatch(File.ReadAllText(file.Path)))
            .Select(file => Path.GetRelativePath(AppRoot, file.Path))
            .ToList();

        Assert.Empty(outside);
        Assert.Contains(SourceFiles(), file => file.Folder == "Storage" && TableSdk().IsMatch(File.ReadAllText(file.Path)));
    }

    [Fact]
    public void TheCycleCheckSeesACycle()
    {
        var graph = new Dictionary<string, HashSet<string>>
        {
            ["A"] = ["B"],
            ["B"] = ["C"],
            ["C"] = ["A"],
            ["D"] = ["A"],
        };

        Assert.Contains("A", Reachable(graph, "C"));
        Assert.DoesNotContain("D", Reachable(graph, "A"));
    }

    /// <summary>Folder to the other folders whose namespace it names (a using directive or a qualified name).</summary>
    private static Dictionary<string, HashSet<string>> DependencyGraph()
    {
        var folders = SourceFiles().Select(file => file.Folder).ToHashSet(StringComparer.Ordinal);
        var graph = folders.ToDictionary(folder => folder, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (path, folder) in SourceFiles())
        {
            foreach (Match reference in NamespaceReference().Matches(File.ReadAllText(path)))
            {
                var target = reference.Groups["folder"].Value;
                if (target != folder && folders.Contains(target))
                {
                    graph[folder].Add(target);
                }
            }
        }

        return graph;
    }

    private static HashSet<string> Reachable(Dictionary<string, HashSet<string>> graph, string from)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var next = new Stack<string>(graph[from]);
        while (next.TryPop(out var folder))
        {
            if (seen.Add(folder))
            {
                foreach (var onward in graph.GetValueOrDefault(folder) ?? [])
                {
                    next.Push(onward);
                }
            }
        }

        return seen;
    }

    /// <summary>Every C# file of the app inside a concern folder (Program.cs at the top is the entry point, not a concern).</summary>
    private static IEnumerable<(string Path, string Folder)> SourceFiles() =>
        from path in Directory.EnumerateFiles(AppRoot, "*.cs", SearchOption.AllDirectories)
        let relative = Path.GetRelativePath(AppRoot, path).Split(Path.DirectorySeparatorChar)
        where relative.Length > 1 && relative[0] is not ("bin" or "obj")
        select (path, relative[0]);

    /// <summary>A namespace, not the assembly's file name (<c>Qraft.Functions.dll</c> in usage texts).</summary>
    [GeneratedRegex(@"\bQraft\.(?<folder>[A-Za-z]+)\b(?!\.dll)")]
    private static partial Regex NamespaceReference();

    [GeneratedRegex(@"\bAzure\.Data\.Tables\b")]
    private static partial Regex TableSdk();
}
