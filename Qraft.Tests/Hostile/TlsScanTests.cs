using System.Text.Json.Nodes;
using Qraft.Tests.Stack;
using Xunit.Abstractions;

namespace Qraft.Tests.Hostile;

/// <summary>
/// testssl.sh (Debian's package) against the stack's HTTPS port, offline: protocols (-p), cipher categories (-s),
/// forward secrecy (-f) and the server's certificate (-S) checked against the generated CA. About 15-20 s.
/// Its text report is saved as bench/testssl-summary.txt when QRAFT_BENCH_DIR is set.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class TlsScanTests(LocalStackFixture stack, ITestOutputHelper output)
{
    [Fact]
    public async Task TestsslFindsNothingBelowTls12NoWeakCipherAndAChainValidAgainstTheLocalCa()
    {
        await stack.WaitUntilAllUpAsync();
        using var dir = new TempDir("qraft-testssl-");
        var json = dir.File("testssl.json");

        var scan = await Command.RunAsync(
            "testssl",
            ["--quiet", "--color", "0", "--warnings", "off", "--openssl", "/usr/bin/openssl", "--add-ca", stack.Env["QRAFT_CA_FILE"],
                "-p", "-s", "-f", "-S", "--ip", "127.0.0.1", "--jsonfile", json, $"localhost:{stack.Ports.Https}"],
            timeout: TimeSpan.FromMinutes(3));
        output.WriteLine(scan.StdOut);
        BenchReport.TryWrite("testssl-summary.txt", scan.StdOut);
        var findings = (JsonNode.Parse(await File.ReadAllTextAsync(json))?.AsArray() ?? [])
            .ToDictionary(f => f!["id"]!.GetValue<string>(), f => f!["finding"]!.GetValue<string>(), StringComparer.Ordinal);

        Assert.True(findings.Count > 30, scan.ToString());
        Assert.All(["SSLv2", "SSLv3", "TLS1", "TLS1_1"], id => Assert.Equal("not offered", findings[id]));
        Assert.StartsWith("offered", findings["TLS1_2"], StringComparison.Ordinal);
        Assert.StartsWith("offered", findings["TLS1_3"], StringComparison.Ordinal);
        Assert.All(
            ["cipherlist_NULL", "cipherlist_aNULL", "cipherlist_EXPORT", "cipherlist_LOW", "cipherlist_3DES_IDEA", "cipherlist_AVERAGE"],
            id => Assert.Equal("not offered", findings[id]));
        Assert.Equal("offered", findings["cipherlist_STRONG"]);
        Assert.Equal("offered", findings["PFS"]);
        Assert.StartsWith("passed", findings["cert_chain_of_trust"], StringComparison.Ordinal);
        Assert.StartsWith("Ok via SAN", findings["cert_trust"], StringComparison.Ordinal);
    }
}
