using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Stack;

/// <summary>
/// A person's view (SPEC §3 compatibility 5): Debian's Chromium, driven by playwright-core, opens GraphiQL through
/// HAProxy over HTTPS trusted via the stack's CA, signs up, logs in and calls <c>me</c>, reaching no other origin.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class BrowserTests(LocalStackFixture stack)
{
    /// <summary>Kept after the run so a person can look at what the browser showed.</summary>
    public static readonly string ScreenshotPath = Path.Combine(AppContext.BaseDirectory, "screenshots", "graphiql-through-haproxy.png");

    [Fact]
    public async Task ChromiumSignsUpAndLogsInThroughGraphiQLOnTheStack()
    {
        await stack.WaitUntilAllUpAsync();
        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
        File.Delete(ScreenshotPath);

        var result = await Command.RunAsync(
            "node",
            [RepoPaths.Of("Qraft.Tests", "Browser", "graphiql.spec.mjs")],
            new Dictionary<string, string>
            {
                ["QRAFT_URL"] = stack.BaseUri.GetLeftPart(UriPartial.Authority),
                ["QRAFT_CA_CERT"] = stack.Env["QRAFT_CA_FILE"],
                ["SCREENSHOT_PATH"] = ScreenshotPath,
            },
            timeout: TimeSpan.FromMinutes(3));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(new FileInfo(ScreenshotPath).Length > 10_000, "the screenshot is missing or empty");
    }
}
