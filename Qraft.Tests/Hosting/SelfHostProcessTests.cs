using System.Net;
using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Hosting;

/// <summary>The path users run: the built app started as its own process with <c>dotnet Qraft.Functions.dll</c>.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SelfHostProcessTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task TheBuiltAppServesSignUpAndLoginOverHttpAndDrainsOnSigterm()
    {
        var port = AppProcess.FreePort();
        using var process = AppProcess.Start(port, AppProcess.Environment(azurite.ConnectionString, "proc", drainPeriod: "00:00:03"));
        try
        {
            using var client = new GraphQLClient(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") });
            Assert.True(await AppProcess.PollReadinessAsync(client.Http, HttpStatusCode.OK), "the app never became ready");

            var (email, password) = await client.SignUpAsync();
            var token = await client.LoginAsync(email, password);
            Assert.Equal(3, token.Split('.').Length);

            Assert.True(AppProcess.Terminate(process));
            var draining = await AppProcess.PollReadinessAsync(client.Http, HttpStatusCode.ServiceUnavailable);
            Assert.True(draining, "readiness never turned 503 after SIGTERM");
            using (var ready = await client.Http.GetAsync("/health/ready"))
            {
                Assert.Equal("draining", await ready.Content.ReadAsStringAsync());
            }

            using (var stillServing = await client.Http.GetAsync("/health"))
            {
                Assert.Equal(HttpStatusCode.OK, stillServing.StatusCode);
            }

            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(exit.Token);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task AMissingSigningKeyFailsStartupWithAClearMessage()
    {
        using var process = AppProcess.Start(AppProcess.FreePort(), new Dictionary<string, string> { ["QRAFT_INSTANCE"] = "nokey" });
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stderr = process.StandardError.ReadToEndAsync(exit.Token);

        await process.WaitForExitAsync(exit.Token);

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("Jwt__SigningKey", await stderr, StringComparison.Ordinal);
    }
}
