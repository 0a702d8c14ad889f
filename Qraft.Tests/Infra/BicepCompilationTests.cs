using System.Text.Json.Nodes;

namespace Qraft.Tests.Infra;

public sealed class BicepCompilationTests
{
    public static TheoryData<string> BicepFiles()
    {
        var files = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(BicepCli.InfraFolder, "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            files.Add(Path.GetRelativePath(BicepCli.InfraFolder, file));
        }

        return files;
    }

    [Fact]
    public async Task MainTemplateBuildsWithoutWarnings()
    {
        var result = await BicepCli.RunAsync("build", BicepCli.MainTemplate, "--stdout");

        // Bicep reports warnings on stderr and still exits 0, so an empty stderr is the real "no warnings" check.
        Assert.Equal("", result.StandardError);
        Assert.Equal(0, result.ExitCode);
        Assert.NotNull(JsonNode.Parse(result.StandardOutput)?["resources"]);
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task EveryBicepFileLintsClean(string file)
    {
        var result = await BicepCli.RunAsync("lint", file);

        Assert.Equal("", result.StandardError + result.StandardOutput);
        Assert.Equal(0, result.ExitCode);
    }
}
