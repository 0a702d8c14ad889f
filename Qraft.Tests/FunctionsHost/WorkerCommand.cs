using System.Globalization;
using System.Text.Json.Nodes;

namespace Qraft.Tests.FunctionsHost;

/// <summary>
/// The command line the Functions host starts a worker with: the executable and worker path from the app's
/// <c>worker.config.json</c>, then the connection arguments every host version passes, in both spellings (the
/// <c>--functions-</c> ones first added so they cannot clash with a program's own options; workers read either).
/// </summary>
public sealed record WorkerCommand(string Executable, IReadOnlyList<string> Arguments)
{
    public const string ConfigFileName = "worker.config.json";

    /// <summary>The host's gRPC message limit for its workers: <c>int.MaxValue</c>, i.e. none.</summary>
    public const int MaxMessageLength = int.MaxValue;

    public static WorkerCommand FromConfig(string workerDirectory, Uri rpcUri, string workerId, string requestId)
    {
        var path = Path.Combine(workerDirectory, ConfigFileName);
        var description = JsonNode.Parse(File.ReadAllText(path))?["description"]
            ?? throw new FunctionsHostException($"{path} has no \"description\".");
        var executable = description["defaultExecutablePath"]?.GetValue<string>()
            ?? throw new FunctionsHostException($"{path} names no defaultExecutablePath.");

        List<string> arguments = [.. Strings(description["arguments"])];
        if (description["defaultWorkerPath"]?.GetValue<string>() is { Length: > 0 } workerPath)
        {
            arguments.Add(Path.Combine(workerDirectory, workerPath));
        }

        arguments.AddRange(Strings(description["workerArguments"]));
        var maxLength = MaxMessageLength.ToString(CultureInfo.InvariantCulture);
        arguments.AddRange(
        [
            "--host", rpcUri.Host,
            "--port", rpcUri.Port.ToString(CultureInfo.InvariantCulture),
            "--workerId", workerId,
            "--requestId", requestId,
            "--grpcMaxMessageLength", maxLength,
            "--functions-uri", rpcUri.AbsoluteUri,
            "--functions-worker-id", workerId,
            "--functions-request-id", requestId,
            "--functions-grpc-max-message-length", maxLength,
        ]);
        return new WorkerCommand(executable, arguments);
    }

    private static IEnumerable<string> Strings(JsonNode? array) =>
        array?.AsArray().Select(item => Environment.ExpandEnvironmentVariables(item!.GetValue<string>())) ?? [];
}
