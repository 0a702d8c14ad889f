using System.Diagnostics;
using System.Text;

using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Stack;

/// <summary>What a finished external command did.</summary>
public sealed record CommandResult(int ExitCode, string StdOut, string StdErr)
{
    public string Output => StdOut + StdErr;

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{StdOut}\n--- stderr ---\n{StdErr}";
}

/// <summary>Runs external commands with a deadline; a command that overruns is killed by PID (with its children).</summary>
internal static class Command
{
    public static async Task<CommandResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null,
        TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepoPaths.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException(
                $"{fileName} {string.Join(' ', arguments)} did not finish in {timeout}; killed pid {process.Id}\n{stdout}\n{stderr}");
        }

        process.WaitForExit(); // drains the asynchronous output readers
        lock (stdout)
        {
            lock (stderr)
            {
                return new CommandResult(process.ExitCode, stdout.ToString(), stderr.ToString());
            }
        }
    }
}

/// <summary>
/// The ports a local stack uses, as local/up and local/render write them (stack.env, ports.env): the stack picks
/// them itself (QRAFT_PORTS=auto), so no test keeps port-picking code of its own.
/// </summary>
public sealed record StackPorts(
    int Https, int Http, IReadOnlyList<int> Apps, int Azurite, int Prometheus, IReadOnlyList<int> Exporters, IReadOnlyList<int> MailDev)
{
    /// <summary>Ports of the processes that must stay on loopback: replicas, Azurite, Prometheus, exporters, maildev.</summary>
    public IReadOnlyList<int> Internal => [.. Apps, Azurite, Prometheus, .. Exporters, .. MailDev];

    /// <summary>Every port, HAProxy's two first, in the order of the settings.</summary>
    public IReadOnlyList<int> All => [Https, Http, .. Internal];

    public static StackPorts From(IReadOnlyDictionary<string, string> settings) => new(
        One(settings, "QRAFT_HTTPS_PORT"),
        One(settings, "QRAFT_HTTP_PORT"),
        List(settings, "QRAFT_APP_PORTS"),
        One(settings, "QRAFT_AZURITE_PORT"),
        One(settings, "QRAFT_PROMETHEUS_PORT"),
        List(settings, "QRAFT_EXPORTER_PORTS"),
        List(settings, "QRAFT_MAILDEV_PORTS"));

    private static int One(IReadOnlyDictionary<string, string> settings, string name) =>
        int.Parse(settings[name], System.Globalization.CultureInfo.InvariantCulture);

    private static int[] List(IReadOnlyDictionary<string, string> settings, string name) =>
        [.. settings[name].Split(',').Select(port => int.Parse(port, System.Globalization.CultureInfo.InvariantCulture))];
}

/// <summary>A directory under the system temp dir, deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir(string prefix = "qraft-")
    {
        // Short: the local stack puts a unix socket in it.
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process that outlived its test may still write here; the OS cleans temp.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>Reads KEY=value files (stack.env, haproxy.env): one optional pair of single quotes is stripped.</summary>
internal static class EnvFile
{
    public static Dictionary<string, string> Read(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in System.IO.File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var value = line[(eq + 1)..];
            if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
            {
                value = value[1..^1];
            }

            values[line[..eq]] = value;
        }

        return values;
    }
}
