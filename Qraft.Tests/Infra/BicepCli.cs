using System.Diagnostics;
using System.Reflection;
using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Infra;

/// <summary>
/// The Bicep CLI shipped in the <c>Azure.Bicep.CommandLine.linux-x64</c> NuGet package, so the templates are compiled
/// and linted offline with a pinned compiler. The test project records the binary's path at build time.
/// </summary>
internal static class BicepCli
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The repository's <c>infra</c> folder.</summary>
    public static string InfraFolder { get; } = Path.Combine(RepoPaths.Root, "infra");

    public static string MainTemplate => Path.Combine(InfraFolder, "main.bicep");

    public static async Task<BicepResult> RunAsync(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(FindExecutable())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = InfraFolder,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {startInfo.FileName}.");
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(RunTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {RunTimeout}.");
        }

        return new BicepResult(process.ExitCode, await standardOutput, await standardError);
    }

    private static string FindExecutable()
    {
        var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == "BicepExecutable")?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new FileNotFoundException(
                "The Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 package is missing; run 'dotnet restore'.", path);
        }

        // NuGet does not promise to keep the execute bit when it extracts a package (the package is linux-x64 only).
        if (OperatingSystem.IsLinux() && !File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        }

        return path;
    }
}

internal sealed record BicepResult(int ExitCode, string StandardOutput, string StandardError);
