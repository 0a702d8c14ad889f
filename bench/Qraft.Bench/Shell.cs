using System.Diagnostics;

namespace Qraft.Bench;

/// <summary>Runs a program to completion with a time limit and captures its output.</summary>
public static class Shell
{
    public sealed record Output(int ExitCode, string Stdout, string Stderr);

    public static async Task<Output> RunAsync(
        string program, IEnumerable<string> arguments, TimeSpan limit, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} ran past {limit}");
        }

        return new Output(process.ExitCode, await stdout, await stderr);
    }

    public static async Task<string> CheckedAsync(
        string program, IEnumerable<string> arguments, TimeSpan limit, IReadOnlyDictionary<string, string>? environment = null)
    {
        var output = await RunAsync(program, arguments, limit, environment);
        return output.ExitCode == 0
            ? output.Stdout
            : throw new InvalidOperationException($"{program} exited with {output.ExitCode}: {output.Stderr}{output.Stdout}");
    }
}
