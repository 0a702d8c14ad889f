using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;

namespace Qraft.Observability;

/// <summary>
/// Makes it impossible for a password, hash or token to reach a log, whatever a developer logs later: properties with a
/// sensitive name are dropped to a marker, and any string that looks like a JWT or a Django hash is replaced.
/// </summary>
internal sealed partial class SecretRedactor : ILogEventEnricher
{
    internal const string Marker = "[redacted]";

    private static readonly LogEventPropertyValue Redacted = new ScalarValue(Marker);

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        foreach (var (name, value) in logEvent.Properties.ToArray())
        {
            var cleaned = IsSensitiveName(name) ? Redacted : Clean(value);
            if (!ReferenceEquals(cleaned, value))
            {
                logEvent.AddOrUpdateProperty(new LogEventProperty(name, cleaned));
            }
        }
    }

    internal static bool LooksSecret(string text) => SecretPattern().IsMatch(text);

    private static bool IsSensitiveName(string name) => SensitiveName().IsMatch(name);

    private static LogEventPropertyValue Clean(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string text } when LooksSecret(text) => new ScalarValue(SecretPattern().Replace(text, Marker)),
        SequenceValue sequence => new SequenceValue(sequence.Elements.Select(Clean)),
        StructureValue structure => new StructureValue(
            structure.Properties.Select(p => new LogEventProperty(p.Name, IsSensitiveName(p.Name) ? Redacted : Clean(p.Value))),
            structure.TypeTag),
        DictionaryValue dictionary => new DictionaryValue(dictionary.Elements.Select(e => KeyValuePair.Create(
            e.Key, e.Key.Value is string key && IsSensitiveName(key) ? Redacted : Clean(e.Value)))),
        _ => value,
    };

    [GeneratedRegex("password|passwd|secret|token|authorization|hash|signingkey|credential", RegexOptions.IgnoreCase)]
    private static partial Regex SensitiveName();

    // A JWT (three base64url parts, the first a JSON header) or a Django-style hash (algorithm$...$...).
    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*|(?:pbkdf2_sha256|pbkdf2_sha1|argon2|bcrypt_sha256|bcrypt|scrypt)\$\S+")]
    private static partial Regex SecretPattern();
}
