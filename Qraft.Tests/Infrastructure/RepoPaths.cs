namespace Qraft.Tests.Infrastructure;

/// <summary>Where the repository and the function app's own build output are, seen from the test assembly.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The function app's build output for the configuration the tests were built with (Debug or Release).</summary>
    public static string AppOutput { get; } = Path.Combine(
        Root, "Qraft.Functions", "bin", new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name, "net10.0");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Qraft.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Qraft.sln above {AppContext.BaseDirectory}.");
    }
}
