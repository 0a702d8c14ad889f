using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Qraft.Tests.Stack;
using Xunit.Abstractions;

namespace Qraft.Tests.Hostile;

/// <summary>
/// Azurite stopped and started by the stack's supervisord while sign-ups run through HAProxy (issue 6, SPEC §4).
/// Leaves the stack as it found it: Azurite running and all three replicas UP.
/// </summary>
[Collection(LocalStackCollection.Name)]
public sealed class StorageOutageUnderLoadTests(LocalStackFixture stack, ITestOutputHelper output)
{
    private const string Password = "Vivid-Harbor-Lantern-42";

    [Fact]
    public async Task SignUpsDuringAStorageOutageFailWithStorageUnavailableAndNoAcknowledgedOneIsLost()
    {
        await stack.WaitUntilAllUpAsync();
        string[] replicas = [.. stack.Instances.Select(i => $"apps:{i}")];
        var pidsBefore = await Task.WhenAll(replicas.Select(stack.ProgramPidAsync));
        var outcomes = new ConcurrentQueue<(string Email, string? Code, int Status, TimeSpan Elapsed, DateTime At)>();
        using var stop = new CancellationTokenSource();
        using var client = stack.CreateClientFrom(stack.NewLoopbackSource());
        var workers = Enumerable.Range(0, 2).Select(_ => Task.Run(() => SignUpUntilAsync(client, outcomes, stop.Token))).ToArray();

        try
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            await SupervisorAsync("stop", "azurite");
            await Task.Delay(TimeSpan.FromSeconds(6));
        }
        finally
        {
            await SupervisorAsync("start", "azurite");
        }

        await LocalStackFixture.WaitForAsync(
            async () => (await stack.BackendServersAsync()).Values.All(s => s.Status == "UP"), TimeSpan.FromSeconds(60), "replicas ready again");
        await Task.Delay(TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        var all = outcomes.OrderBy(o => o.At).ToList();
        WriteDurations(all);
        var acknowledged = all.Where(o => o.Code is null && o.Status == 200).ToList();
        var failed = all.Except(acknowledged).ToList();
        Assert.NotEmpty(acknowledged);
        Assert.Contains(failed, f => f.Code == "STORAGE_UNAVAILABLE"); // the outage did bite
        Assert.All(failed, f => Assert.True(f.Status == 200 && f.Code == "STORAGE_UNAVAILABLE", $"{f.Email}: HTTP {f.Status} {f.Code}"));
        Assert.All(all, o => Assert.True(o.Elapsed < TimeSpan.FromSeconds(15), $"{o.Email} took {o.Elapsed}"));

        var users = new TableClient(stack.Env["QRAFT_AZURITE_CONNECTION"], "users");
        var lost = new List<string>();
        foreach (var (email, _, _, _, at) in acknowledged)
        {
            // The store's layout: the lower-case email is both keys of its user's entity.
            var key = email.ToLowerInvariant();
            if (!(await users.GetEntityIfExistsAsync<TableEntity>(key, key)).HasValue)
            {
                lost.Add($"{at:HH:mm:ss.fff} {email}");
            }
        }

        Assert.True(lost.Count == 0, $"acknowledged but not stored:\n{string.Join('\n', lost)}");

        var (_, login) = await stack.GraphqlAsync(
            "mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}", new { e = acknowledged[0].Email, p = Password }, client: client);
        Assert.NotNull(login["data"]?["login"]?["token"]);
        Assert.Equal(pidsBefore, await Task.WhenAll(replicas.Select(stack.ProgramPidAsync)));
        await stack.WaitUntilAllUpAsync();
    }

    private async Task SignUpUntilAsync(
        HttpClient client, ConcurrentQueue<(string, string?, int, TimeSpan, DateTime)> outcomes, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var email = $"outage-{Guid.NewGuid():N}@example.com";
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await client.PostAsync(
                    new Uri(stack.BaseUri, "/graphql/"),
                    new StringContent(
                        System.Text.Json.JsonSerializer.Serialize(new
                        {
                            query = "mutation($e:String!,$p:String!){createUser(email:$e,password:$p){user{email}}}",
                            variables = new { e = email, p = Password },
                        }),
                        Encoding.UTF8,
                        "application/json"),
                    CancellationToken.None);
                var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
                var code = response.Content.Headers.ContentType?.MediaType == "application/json"
                    ? JsonNode.Parse(text)?["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>()
                    : $"non-JSON: {text[..Math.Min(text.Length, 80)]}";
                outcomes.Enqueue((email, code, (int)response.StatusCode, clock.Elapsed, DateTime.UtcNow));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                outcomes.Enqueue((email, $"{e.GetType().Name}: {e.Message}", 0, clock.Elapsed, DateTime.UtcNow));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        }
    }

    private async Task SupervisorAsync(string verb, string program)
    {
        var result = await Command.RunAsync("supervisorctl", ["-c", stack.Env["QRAFT_SUPERVISOR_CONF"], verb, program], timeout: TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private void WriteDurations(List<(string Email, string? Code, int Status, TimeSpan Elapsed, DateTime At)> all)
    {
        var text = new StringBuilder("sign-ups during the outage (time, outcome, ms):\n");
        foreach (var (_, code, status, elapsed, at) in all)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{at:HH:mm:ss.fff} {status} {code ?? "ok"} {elapsed.TotalMilliseconds:0}");
        }

        var failures = all.Where(o => o.Code is not null).Select(o => o.Elapsed.TotalMilliseconds).DefaultIfEmpty(0).ToList();
        text.AppendLine(CultureInfo.InvariantCulture, $"slowest failure: {failures.Max():0} ms of {failures.Count}");
        output.WriteLine(text.ToString());
        BenchReport.TryWrite("outage-signups.txt", text.ToString());
    }
}
