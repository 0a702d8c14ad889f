using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Qraft.Security.Pbkdf2;
using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Security;

/// <summary>The built app, started as its own process, says which PBKDF2 engine it hashes with, and hashes with it.</summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class Pbkdf2EngineReportTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("auto")]
    [InlineData("platform")]
    public async Task TheStartedAppLogsAndExportsItsEngineOnceAndSignsUpAndLogsInWithIt(string setting)
    {
        var expected = setting == "platform" ? PlatformPbkdf2Sha256.EngineName : Pbkdf2Engine.Chosen.Name;
        var logs = Directory.CreateTempSubdirectory("qraft-engine-");
        var port = AppProcess.FreePort();
        var environment = AppProcess.Environment(azurite.ConnectionString, "engine");
        environment["Qraft__PasswordHashing__Engine"] = setting;
        environment["Logging__File__Path"] = Path.Combine(logs.FullName, "qraft_users-engine.log");
        using var process = AppProcess.Start(port, environment);
        try
        {
            using var client = new GraphQLClient(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") });
            Assert.True(await AppProcess.PollReadinessAsync(client.Http, HttpStatusCode.OK), "the app never became ready");

            var engines = EngineSeries().Matches(await client.Http.GetStringAsync("/metrics"));
            Assert.Equal([expected], engines.Select(m => m.Groups["engine"].Value));
            Assert.Equal("1", engines[0].Groups["value"].Value);

            var lines = await EngineLinesAsync(logs.FullName);
            var line = Assert.Single(lines);
            Assert.Equal(expected, line["Engine"]?.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(line["Reason"]?.GetValue<string>()));

            var (email, password) = await client.SignUpAsync();
            Assert.Equal(3, (await client.LoginAsync(email, password)).Split('.').Length);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            logs.Delete(recursive: true);
        }
    }

    /// <summary>The start-up line about the engine, once the file has it (the sink writes in the background).</summary>
    private static async Task<List<JsonObject>> EngineLinesAsync(string folder)
    {
        for (var attempt = 0; ; attempt++)
        {
            var text = LogFile.ReadAll(folder);
            var lines = text[..(text.LastIndexOf('\n') + 1)]
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => JsonNode.Parse(l)!.AsObject())
                .Where(l => l["EventId"]?["Name"]?.GetValue<string>() == "PasswordHashEngine")
                .ToList();
            if (lines.Count > 0 || attempt == 150)
            {
                return lines;
            }

            await Task.Delay(100);
        }
    }

    [GeneratedRegex(@"^qraft_password_hash_engine\{engine=""(?<engine>[^""]*)""\} (?<value>\S+)$", RegexOptions.Multiline)]
    private static partial Regex EngineSeries();
}
