using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace Qraft.Observability;

/// <summary>
/// Stands in front of every sink (file, console and the Microsoft.Extensions.Logging providers that feed the Functions
/// host and Application Insights) and hands them an event whose message template and exception carry no secret-shaped
/// text. Properties are already clean (<see cref="SecretRedactor"/> enriches first); the template and the exception
/// cannot be changed by an enricher, and sinks render both verbatim (CompactJson's <c>@mt</c> and <c>@x</c>).
/// </summary>
/// <remarks>Events without secrets, nearly all of them, pass through as the same instance.</remarks>
internal sealed class RedactingSink(ILogEventSink inner) : ILogEventSink, IDisposable
{
    private readonly MessageTemplateParser _parser = new();

    public void Emit(LogEvent logEvent)
    {
        var template = SecretRedactor.LooksSecret(logEvent.MessageTemplate.Text)
            ? _parser.Parse(SecretRedactor.Scrub(logEvent.MessageTemplate.Text))
            : null;
        var exception = logEvent.Exception is { } thrown && SecretRedactor.LooksSecret(thrown.ToString())
            ? new RedactedException(thrown)
            : null;
        if (template is null && exception is null)
        {
            inner.Emit(logEvent);
            return;
        }

        inner.Emit(new LogEvent(
            logEvent.Timestamp,
            logEvent.Level,
            exception ?? logEvent.Exception,
            template ?? logEvent.MessageTemplate,
            logEvent.Properties.Select(p => new LogEventProperty(p.Key, p.Value)),
            logEvent.TraceId ?? default,
            logEvent.SpanId ?? default));
    }

    public void Dispose() => (inner as IDisposable)?.Dispose();
}

/// <summary>
/// An exception whose text contained a secret, as sinks will print it: the original's type, message, inner exceptions
/// and stack trace with the secrets replaced.
/// </summary>
internal sealed class RedactedException(Exception original)
    : Exception($"{original.GetType().FullName}: {SecretRedactor.Scrub(original.Message)}")
{
    private readonly string _text = SecretRedactor.Scrub(original.ToString());

    public override string ToString() => _text;
}
