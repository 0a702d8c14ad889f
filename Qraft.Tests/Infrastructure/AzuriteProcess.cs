using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Qraft.Tests.Infrastructure;

/// <summary>
/// A real Azurite table service from the repository's own <c>node_modules</c>, on a free loopback port with a private
/// data folder. <see cref="StopAsync"/> and <see cref="StartAsync"/> keep the port and the data, which is how tests
/// take storage away and bring it back. Disposing kills the process tree and deletes the folder. Given a certificate it
/// serves HTTPS and accepts OAuth bearer tokens as well (<c>--oauth basic</c>), which is how the app's managed-identity
/// path is tested offline.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    /// <summary>Azurite's published development key; not a secret.</summary>
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const int SignalInterrupt = 2;
    private const int MaxOutputLength = 16_384;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly string _executable;
    private readonly string _dataFolder;
    private readonly LoopbackCertificate? _https;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputLock = new();
    private Process? _process;

    private AzuriteProcess(string executable, string dataFolder, int port, LoopbackCertificate? https)
    {
        _executable = executable;
        _dataFolder = dataFolder;
        _https = https;
        Port = port;
    }

    public int Port { get; }

    private string Scheme => _https is null ? "http" : "https";

    public string ConnectionString => string.Create(
        CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol={Scheme};AccountName=devstoreaccount1;AccountKey={AccountKey};TableEndpoint={TableEndpoint};");

    /// <summary>The account's table endpoint (path-style, as Azurite serves it), for the app's identity-based setting.</summary>
    public string TableEndpoint => string.Create(CultureInfo.InvariantCulture, $"{Scheme}://127.0.0.1:{Port}/devstoreaccount1");

    /// <summary>
    /// Starts a new Azurite on a free port and returns once it accepts connections; with <paramref name="https"/> it
    /// serves that certificate and also accepts bearer tokens. The caller keeps ownership of the certificate.
    /// </summary>
    public static async Task<AzuriteProcess> StartNewAsync(LoopbackCertificate? https = null, CancellationToken cancellationToken = default)
    {
        var azurite = new AzuriteProcess(
            FindExecutable(), Directory.CreateTempSubdirectory("qraft-azurite-").FullName, AppProcess.FreePort(), https);
        try
        {
            await azurite.StartAsync(cancellationToken);
            return azurite;
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts Azurite on this instance's port and data folder; returns once it accepts connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("Azurite is already running.");
        }

        var startInfo = new ProcessStartInfo(_executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "--tableHost", "127.0.0.1",
            "--tablePort", Port.ToString(CultureInfo.InvariantCulture),
            "--location", _dataFolder,
            "--skipApiVersionCheck",
            "--silent",
            "--disableTelemetry",
        })
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (_https is not null)
        {
            // Azurite takes bearer tokens only over HTTPS; "basic" checks their shape, issuer and audience, not signatures.
            foreach (var argument in new[] { "--oauth", "basic", "--cert", _https.CertificatePath, "--key", _https.KeyPath })
            {
                startInfo.ArgumentList.Add(argument);
            }
        }

        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, line) => Collect(line.Data);
        process.ErrorDataReceived += (_, line) => Collect(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilListeningAsync(process, cancellationToken);
    }

    /// <summary>
    /// Stops Azurite with SIGINT, its graceful shutdown, which saves the database; a kill could lose the last
    /// few seconds of writes (Azurite saves to disk every five seconds). Falls back to a kill after a bound.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        using (process)
        {
            if (!process.HasExited)
            {
                _ = SendSignal(process.Id, SignalInterrupt);
                using var patience = new CancellationTokenSource(StopTimeout);
                try
                {
                    await process.WaitForExitAsync(patience.Token);
                }
                catch (OperationCanceledException)
                {
                    await KillAsync(process);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            using (process)
            {
                await KillAsync(process);
            }
        }

        if (Directory.Exists(_dataFolder))
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
    }

    private static async Task KillAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
    }

    private async Task WaitUntilListeningAsync(Process process, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(
                    $"Azurite exited with code {process.ExitCode} before listening on port {Port}:\n{Output()}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port, deadline.Token);
                return;
            }
            catch (SocketException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Azurite did not listen on port {Port} within {StartTimeout}:\n{Output()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
        }
    }

    private void Collect(string? line)
    {
        lock (_outputLock)
        {
            if (line is not null && _output.Length < MaxOutputLength)
            {
                _output.AppendLine(line);
            }
        }
    }

    private string Output()
    {
        lock (_outputLock)
        {
            return _output.ToString();
        }
    }

    private static string FindExecutable()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "package.json")))
            {
                var executable = Path.Combine(folder.FullName, "node_modules", ".bin", "azurite-table");
                return File.Exists(executable)
                    ? executable
                    : throw new FileNotFoundException(
                        $"Azurite is not installed; run 'npm ci' in {folder.FullName} (local/test does).", executable);
            }
        }

        throw new DirectoryNotFoundException($"No package.json above {AppContext.BaseDirectory}.");
    }

    // DllImport rather than LibraryImport: the generated marshalling would need unsafe code for this one call.
    [DllImport("libc", EntryPoint = "kill")]
    private static extern int SendSignal(int processId, int signal);
}
