using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Qraft.Tests.Infrastructure;

/// <summary>The built app started as its own process with <c>dotnet Qraft.Functions.dll</c>, as users run it.</summary>
public static class AppProcess
{
    private const int SigTerm = 15;

    /// <param name="console">Receives each line the app writes to standard output; discarded when null.</param>
    public static Process Start(int port, IReadOnlyDictionary<string, string> environment, Action<string>? console = null)
    {
        var workingDirectory = Directory.CreateTempSubdirectory("qraft-proc-");
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory.FullName,
        };
        start.ArgumentList.Add(Path.Combine(RepoPaths.AppOutput, "Qraft.Functions.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };

        // The app's default log folder lands in its working directory; it goes once the process has. Best effort: an
        // exception here would surface on a thread-pool thread and take the whole test run down with it.
        process.Exited += (_, _) =>
        {
            try
            {
                workingDirectory.Delete(recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"could not delete {workingDirectory.FullName}: {exception.Message}");
            }
        };
        process.Start();
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                console?.Invoke(line.Data);
            }
        };
        process.BeginOutputReadLine();
        return process;
    }

    /// <summary>What a replica process needs against a test Azurite: its own tables, a fresh key, cheap hashes.</summary>
    public static Dictionary<string, string> Environment(string azuriteConnection, string instance, string drainPeriod = "00:00:00") => new()
    {
        ["TableStorage"] = azuriteConnection,
        ["Qraft__Storage__TablePrefix"] = StorageServices.NewTablePrefix(),
        ["Jwt__SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48)),
        ["Qraft__PasswordIterations"] = "1000",
        ["Qraft__DrainPeriod"] = drainPeriod,
        ["QRAFT_INSTANCE"] = instance,
    };

    /// <summary>Asks the process to stop as an orchestrator does; true when the signal was delivered.</summary>
    public static bool Terminate(Process process) => Kill(process.Id, SigTerm) == 0;

    /// <summary>Polls <c>/health/ready</c> (for at most 15 s) until it answers <paramref name="wanted"/>.</summary>
    public static async Task<bool> PollReadinessAsync(HttpClient http, HttpStatusCode wanted)
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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
