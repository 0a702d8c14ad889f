namespace Qraft.Tests.FunctionsHost;

/// <summary>What the harness says when the worker did not do what the Functions host expects of it.</summary>
public sealed class FunctionsHostException(string message) : Exception(message);
