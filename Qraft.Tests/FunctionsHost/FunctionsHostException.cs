namespace Qraft.Tests.FunctionsHost;

/// <summary>What the harness says when the worker did not do what the Functions host expects of it.</summary>
public sealed class FunctionsHostException(string message, int? workerProcessId = null) : Exception(message)
{
    /// <summary>The worker process the failure is about, when there was one; the harness has ended it by now.</summary>
    public int? WorkerProcessId { get; } = workerProcessId;
}
