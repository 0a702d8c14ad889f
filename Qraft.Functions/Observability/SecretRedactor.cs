using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;

namespace Qraft.Observability;

/// <summary>
/// Makes it impossible for a password, hash or token to reach a log, whatever a developer logs later. Two rules, applied
/// to every log event (as an enricher) and to everything Application Insights sends (see
/// <see cref="RedactingTelemetryInitializer"/>): a value under a sensitive name (password, token, authorization, hash,
/// ...) becomes a marker at any depth, and any text shaped like a secret this service issues or stores (a JWT, a
/// Django-style hash, a refresh token) is replaced wherever it appears. <see cref="RedactingSink"/> applies the second
/// rule to what properties cannot carry: the message template and the exception text.
/// </summary>
/// <remarks>
/// A plain password under an innocent name cannot be recognised by shape; that case is closed at build time instead:
/// CA2254 (see .editorconfig) rejects log calls whose template is not a constant, so values only reach a log as named
/// properties.
/// </remarks>
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

    /// <summary>The text with every secret-shaped part replaced by the marker; the same instance when there is none.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    internal static string? Scrub(string? text) =>
        text is null || !LooksSecret(text) ? text : SecretPattern().Replace(text, Marker);

    internal static bool IsSensitiveName(string name) => SensitiveName().IsMatch(name);

    private static LogEventPropertyValue Clean(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string text } when LooksSecret(text) => new ScalarValue(Scrub(text)),
        SequenceValue sequence => new SequenceValue(sequence.Elements.Select(Clean)),
        StructureValue structure => new StructureValue(
            structure.Properties.Select(p => new LogEventProperty(p.Name, IsSensitiveName(p.Name) ? Redacted : Clean(p.Value))),
            structure.TypeTag),
        DictionaryValue dictionary => new DictionaryValue(dictionary.Elements.Select(e => KeyValuePair.Create(
            e.Key, e.Key.Value is string key && IsSensitiveName(key) ? Redacted : Clean(e.Value)))),
        _ => value,
    };

    [GeneratedRegex("password|passwd|secret|token|authorization|hash|signingkey|privatekey|credential", RegexOptions.IgnoreCase)]
    private static partial Regex SensitiveName();

    /// <summary>
    /// A JWT (three base64url parts, the first a JSON header); a Django-style hash (algorithm$..., whose characters are
    /// base64 plus <c>$ . , =</c>, so the match stops at a quote and never eats the JSON around it); or a refresh token
    /// (exactly 40 lower-case hex digits, as django-graphql-jwt makes them); or the token of a mailed link
    /// (<c>resetPassword=</c> or <c>verifyEmail=</c> and base64url), should a mail's text ever be logged; or a PEM
    /// private key (<c>Jwt__PrivateKey</c>, whole block, any of the PKCS#8, PKCS#1 and SEC 1 labels).
    /// </summary>
    [GeneratedRegex(
        @"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*"
        + @"|(?:pbkdf2_sha256|pbkdf2_sha1|argon2|bcrypt_sha256|bcrypt|scrypt|sha1|md5|unsalted_md5|unsalted_sha1)\$[A-Za-z0-9+/=$.,_-]+"
        + "|(?<![0-9A-Fa-f])[0-9a-f]{40}(?![0-9A-Fa-f])"
        + "|(?:resetPassword|verifyEmail)=[A-Za-z0-9_-]+"
        + @"|-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----[A-Za-z0-9+/=\s\\]*(?:-----END (?:[A-Z]+ )*PRIVATE KEY-----)?")]
    private static partial Regex SecretPattern();
}
