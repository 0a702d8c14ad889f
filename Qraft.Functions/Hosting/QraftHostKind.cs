namespace Qraft.Hosting;

/// <summary>Which of the two hosts runs the app; the few concerns that differ between them ask this, nothing else.</summary>
public enum QraftHostKind
{
    /// <summary>An isolated worker driven by the Azure Functions host, which prints the worker's logs and records its requests.</summary>
    Functions,

    /// <summary>Started directly on Kestrel: the app writes its own console and records its own requests.</summary>
    SelfHost,
}
