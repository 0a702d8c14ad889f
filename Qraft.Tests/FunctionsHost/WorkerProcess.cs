using System.Collections.Concurrent;
using System.Diagnostics;

namespace Qraft.Tests.FunctionsHost;

/// <summary>
/// The worker process as the host runs it: started in the app directory with the host's environment plus the app's
/// settings, its console captured (the host prints it as the worker's log), and killed by its PID if it outlives the
/// harness.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private const int KeptConsoleLines = 40;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _console = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process) => _process = process;

    public int Id => _process.Id;

    /// <summary>Completes with the exit code once the process has exited.</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>The last lines the worker wrote to stdout or stderr, for error messages.</summary>
    public string LastConsoleLines => string.Join(Environment.NewLine, _console);

    public static WorkerProcess Start(WorkerCommand command, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(command.Executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process);
        process.OutputDataReceived += (_, line) => worker.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => worker.Keep(line.Data);
        process.Exited += (_, _) => worker.OnExited();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Waits up to <paramref name="limit"/> for the process to exit by itself; false when it is still running.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Ends the process (and anything it started) as the host does once a grace period has run out.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.WaitForExit();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _console.Enqueue(line);
        while (_console.Count > KeptConsoleLines)
        {
            _console.TryDequeue(out _);
        }
    }

    private void OnExited()
    {
        // WaitForExit without a timeout also drains the redirected output, so the last lines are in before anyone reads them.
        _process.WaitForExit();
        _exited.TrySetResult(_process.ExitCode);
    }
}
