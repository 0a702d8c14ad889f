namespace Qraft.Observability;

/// <summary>
/// Which of the two hosts runs the app. Only observability differs between them (who prints the logs, who records the
/// requests), so the hosts tell it this, and nothing else asks.
/// </summary>
public enum QraftHostKind
{
    /// <summary>An isolated worker driven by the Azure Functions host, which prints the worker's logs and records its requests.</summary>
    Functions,

    /// <summary>Started directly on Kestrel: the app writes its own console and records its own requests.</summary>
    SelfHost,
}
