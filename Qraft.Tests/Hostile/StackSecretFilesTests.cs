using System.Runtime.Versioning;
using Qraft.Tests.Stack;

namespace Qraft.Tests.Hostile;

/// <summary>The local stack's keys and credentials are owner-only, and they reach no log (issue 6).</summary>
[Collection(LocalStackCollection.Name)]
[UnsupportedOSPlatform("windows")]
public sealed class StackSecretFilesTests(LocalStackFixture stack)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task EveryFileHoldingAStackSecretIsOwnerOnlyAndNoLogHoldsOne()
    {
        await stack.WaitUntilAllUpAsync();
        var secrets = EnvFile.Read(Path.Combine(stack.StateDir, "secrets.env"));
        string[] values = [secrets["QRAFT_JWT_SIGNING_KEY"], secrets["QRAFT_STATS_PASSWORD"]];
        var certDir = Path.GetDirectoryName(stack.Env["QRAFT_CA_FILE"])!;
        var logDir = stack.Env["QRAFT_LOG_DIR"];

        var holders = new List<string>();
        var leaks = new List<string>();
        foreach (var file in Directory.EnumerateFiles(stack.StateDir, "*", SearchOption.AllDirectories).Concat(Directory.EnumerateFiles(certDir)))
        {
            if (file.StartsWith(Path.Combine(stack.StateDir, "app") + "/", StringComparison.Ordinal) || new FileInfo(file).Length > 50_000_000)
            {
                continue; // the published app: binaries, no secrets
            }

            string text;
            try
            {
                text = await File.ReadAllTextAsync(file);
            }
            catch (IOException)
            {
                continue; // a socket or a file rolled away meanwhile
            }

            if (values.Any(v => text.Contains(v, StringComparison.Ordinal)) || text.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
            {
                (file.StartsWith(logDir, StringComparison.Ordinal) ? leaks : holders).Add(file);
            }
        }

        string[] expected = ["secrets.env", "haproxy.env", "supervisord.conf", "stack.env", "ca.key", "server.key", "haproxy.pem"];
        Assert.Empty(leaks);
        Assert.Subset(holders.Select(Path.GetFileName).ToHashSet()!, expected.ToHashSet());
        Assert.All(holders, f => Assert.True(File.GetUnixFileMode(f) == OwnerOnly, $"{f} is {File.GetUnixFileMode(f)}"));
    }

    [Fact]
    public async Task AzuritesDataWithThePasswordHashesIsOwnerOnly()
    {
        await stack.WaitUntilAllUpAsync();
        await stack.GraphqlAsync(
            "mutation($e:String!,$p:String!){createUser(email:$e,password:$p){user{email}}}",
            new { e = $"mode-{Guid.NewGuid():N}@example.com", p = "Vivid-Harbor-Lantern-42" });

        var files = Directory.GetFiles(Path.Combine(stack.StateDir, "azurite"), "*", SearchOption.AllDirectories);

        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.True((File.GetUnixFileMode(f) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) == 0, $"{f} is {File.GetUnixFileMode(f)}"));
    }
}
