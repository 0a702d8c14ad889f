using System.Collections.Concurrent;
using System.Net;
using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Observability;

/// <summary>Logging:Console:MinimumLevel filters what a self-hosted replica prints; its rolling file keeps every line.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsoleLogLevelTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("Warning", false)]
    public async Task TheConsoleShowsOperationLinesOnlyAtInformation(string? consoleLevel, bool onConsole)
    {
        var logFolder = Directory.CreateTempSubdirectory("qraft-console-");
        var environment = AppProcess.Environment(azurite.ConnectionString, "console");
        environment["Logging__File__Path"] = Path.Combine(logFolder.FullName, "replica.log");
        if (consoleLevel is not null)
        {
            environment["Logging__Console__MinimumLevel"] = consoleLevel;
        }

        var console = new ConcurrentQueue<string>();
        var port = AppProcess.FreePort();
        using var process = AppProcess.Start(port, environment, console.Enqueue);
        try
        {
            using var client = new GraphQLClient(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") });
            Assert.True(await AppProcess.PollReadinessAsync(client.Http, HttpStatusCode.OK), "the app never became ready");
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("query ConsoleProbe { __typename }")).Status);

            // The file is written in the background and flushed each second; stopping the process flushes it.
            Assert.True(AppProcess.Terminate(process));
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(exit.Token);

            var fileLines = File.ReadLines(Directory.GetFiles(logFolder.FullName, "replica*.log").Single()).ToList();
            Assert.Contains(fileLines, line => line.Contains("\"Operation\":\"__typename\"", StringComparison.Ordinal));
            Assert.Equal(onConsole, console.Any(line => line.Contains("GraphQL query __typename ok 200", StringComparison.Ordinal)));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            logFolder.Delete(recursive: true);
        }
    }
}
