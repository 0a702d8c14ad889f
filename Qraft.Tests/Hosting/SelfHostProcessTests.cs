using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Hosting;

/// <summary>The path users run: the built app started as its own process with <c>dotnet Qraft.Functions.dll</c>.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SelfHostProcessTests(AzuriteFixture azurite)
{
    private const int SigTerm = 15;

    [Fact]
    public async Task TheBuiltAppServesSignUpAndLoginOverHttpAndDrainsOnSigterm()
    {
        var port = FreePort();
        using var process = StartApp(port, new Dictionary<string, string>
        {
            ["TableStorage"] = azurite.ConnectionString,
            ["Qraft__Storage__TablePrefix"] = StorageServices.NewTablePrefix(),
            ["Jwt__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)),
            ["Qraft__PasswordIterations"] = "1000",
            ["Qraft__DrainPeriod"] = "00:00:03",
            ["QRAFT_INSTANCE"] = "proc",
        });
        try
        {
            using var client = new GraphQLClient(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") });
            await WaitUntilReadyAsync(client.Http);

            var (email, password) = await client.SignUpAsync();
            var token = await client.LoginAsync(email, password);
            Assert.Equal(3, token.Split('.').Length);

            Assert.Equal(0, Kill(process.Id, SigTerm));
            var draining = await PollAsync(client.Http, HttpStatusCode.ServiceUnavailable);
            Assert.True(draining, "readiness never turned 503 after SIGTERM");
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
        using var process = StartApp(FreePort(), new Dictionary<string, string> { ["QRAFT_INSTANCE"] = "nokey" });
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stderr = process.StandardError.ReadToEndAsync(exit.Token);

        await process.WaitForExitAsync(exit.Token);

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("Jwt__SigningKey", await stderr, StringComparison.Ordinal);
    }

    private static Process StartApp(int port, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory.CreateTempSubdirectory("qraft-proc-").FullName,
        };
        start.ArgumentList.Add(Path.Combine(RepoPaths.AppOutput, "Qraft.Functions.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }

    private static async Task WaitUntilReadyAsync(HttpClient http)
    {
        Assert.True(await PollAsync(http, HttpStatusCode.OK), "the app never became ready");
    }

    private static async Task<bool> PollAsync(HttpClient http, HttpStatusCode wanted)
    {
        for (var attempt = 0; attempt < 150; attempt++)
        {
            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.StatusCode == wanted)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        return false;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
