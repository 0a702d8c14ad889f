using System.Text.Json;
using Microsoft.ApplicationInsights.DataContracts;
using Qraft.Observability;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Qraft.Tests.Observability;

/// <summary>
/// The redaction rules with the real formatter the log file uses: whatever is logged, the written line holds no secret
/// and stays valid JSON.
/// </summary>
public sealed class SecretRedactorTests
{
    private const string Jwt =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJlbWFpbCI6InVAZXhhbXBsZS5jb20iLCJleHAiOjE3MDAwMDAwMDB9.d2hhdGV2ZXItc2lnbmF0dXJlXzEyMw";

    private const string RefreshToken = "3f2a9c0d1e4b5a6978c0d1e2f3a4b5c6d7e8f901";

    public static TheoryData<string> Secrets => new()
    {
        Jwt,
        RefreshToken,
        "pbkdf2_sha256$600000$cHZrR0Jzb2x0c2FsdA$q0VJ3Ts3Yb2mB1xJ3vQk+/vW9o1h2qf9c3u8k0N1ZkQ=",
        "pbkdf2_sha1$260000$c2FsdA$Zm9vYmFyYmF6cXV4",
        "argon2$argon2id$v=19$m=102400,t=2,p=8$c29tZXNhbHRzYWx0$K0pV7bFh0Yp0Kx5Kc1W1Rw",
        "bcrypt_sha256$$2b$12$abcdefghijklmnopqrstuu5bHrD3pJ9yqz1s2t3u4v5w6x7y8z9a0",
        "resetPassword=" + new string('r', 43),
        "verifyEmail=" + new string('v', 42) + "_",
        System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKeyPem(),
        System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256).ExportECPrivateKeyPem(),
        System.Security.Cryptography.RSA.Create(2048).ExportRSAPrivateKeyPem(),
    };

    [Theory]
    [MemberData(nameof(Secrets))]
    public void ASecretUnderAnInnocentNameIsReplacedAndTheLineStaysJson(string secret)
    {
        var line = WriteOne(log => log.Information("Issued {Value} to {Email}", $"prefix {secret}", "u@example.com"));

        Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
        var json = JsonDocument.Parse(line).RootElement;
        Assert.Equal($"prefix {SecretRedactor.Marker}", json.GetProperty("Value").GetString());
        Assert.Equal("u@example.com", json.GetProperty("Email").GetString());
    }

    [Theory]
    [InlineData("password")]
    [InlineData("Password")]
    [InlineData("newPassword")]
    [InlineData("oldPassword")]
    [InlineData("token")]
    [InlineData("refreshToken")]
    [InlineData("Authorization")]
    [InlineData("passwordHash")]
    [InlineData("SigningKey")]
    [InlineData("PrivateKey")]
    [InlineData("client_secret")]
    public void AnyValueUnderASensitiveNameIsReplaced(string name)
    {
        var line = WriteOne(log => log.Information("Value {" + name + "}", "correct horse battery"));

        Assert.DoesNotContain("correct horse battery", line, StringComparison.Ordinal);
        Assert.Equal(SecretRedactor.Marker, JsonDocument.Parse(line).RootElement.GetProperty(name).GetString());
    }

    [Fact]
    public void SecretsNestedInObjectsDictionariesAndListsAreReplaced()
    {
        var line = WriteOne(log => log.Information(
            "State {@User} {@Headers} {@Tokens}",
            new { Email = "u@example.com", Password = "correct horse battery", Session = new { Note = Jwt } },
            new Dictionary<string, string> { ["Authorization"] = "Basic dXNlcjpwYXNz", ["Accept"] = "application/json" },
            new[] { Jwt, RefreshToken }));

        Assert.DoesNotContain("correct horse battery", line, StringComparison.Ordinal);
        Assert.DoesNotContain("dXNlcjpwYXNz", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Jwt, line, StringComparison.Ordinal);
        Assert.DoesNotContain(RefreshToken, line, StringComparison.Ordinal);
        var json = JsonDocument.Parse(line).RootElement;
        Assert.Equal("u@example.com", json.GetProperty("User").GetProperty("Email").GetString());
        Assert.Equal("application/json", json.GetProperty("Headers").GetProperty("Accept").GetString());
    }

    [Fact]
    public void AnExceptionWhoseTextCarriesATokenIsWrittenWithoutIt()
    {
        var inner = new FormatException($"bad refresh token {RefreshToken}");
        var thrown = Throw(new InvalidOperationException($"rejected JWT {Jwt}", inner));

        var line = WriteOne(log => log.Error(thrown, "Request failed"));

        Assert.DoesNotContain(Jwt, line, StringComparison.Ordinal);
        Assert.DoesNotContain(RefreshToken, line, StringComparison.Ordinal);
        var text = JsonDocument.Parse(line).RootElement.GetProperty("@x").GetString()!;
        Assert.Contains("System.InvalidOperationException: rejected JWT [redacted]", text, StringComparison.Ordinal);
        Assert.Contains("System.FormatException: bad refresh token [redacted]", text, StringComparison.Ordinal);
        Assert.Contains(nameof(Throw), text, StringComparison.Ordinal);
    }

    [Fact]
    public void ASecretWrittenIntoTheTemplateItselfIsReplaced()
    {
        // What CA2254 stops at build time, should it ever be suppressed.
        var template = $"Token was {Jwt} for {{Email}}";

        var line = WriteOne(log => log.Information(template, "u@example.com"));

        Assert.DoesNotContain(Jwt, line, StringComparison.Ordinal);
        var json = JsonDocument.Parse(line).RootElement;
        Assert.Equal("Token was [redacted] for {Email}", json.GetProperty("@mt").GetString());
        Assert.Equal("u@example.com", json.GetProperty("Email").GetString());
        Assert.False(json.TryGetProperty("@tr", out _), "the rewritten event invented a trace id");
    }

    [Fact]
    public void EventsWithoutSecretsPassThroughUnchanged()
    {
        var written = new List<LogEvent>();
        using var logger = Logger(new DelegatingSink(written.Add));

        logger.Information("GraphQL {Operation} {Outcome} for {RequestId}", "login", "ok", "4bf92f3577b34da6a3ce929d0e0e4736");

        var logEvent = Assert.Single(written);
        Assert.Equal("login", ((ScalarValue)logEvent.Properties["Operation"]).Value);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", ((ScalarValue)logEvent.Properties["RequestId"]).Value);
    }

    [Fact]
    public void TelemetryLosesSecretsInMessagesPropertiesExceptionsAndUrls()
    {
        var trace = new TraceTelemetry($"GraphQL login with {Jwt}");
        trace.Properties["password"] = "correct horse battery";
        trace.Properties["Detail"] = $"refresh {RefreshToken}";
        trace.Properties["requestId"] = "abc-123";
        var exception = new ExceptionTelemetry(Throw(new InvalidOperationException($"rejected {Jwt}")));
        var request = new RequestTelemetry { Name = "GET /graphql/", Url = new Uri($"http://127.0.0.1/graphql/?token={Jwt}") };
        var dependency = new DependencyTelemetry { Name = "TableClient.GetEntity", Data = $"PartitionKey='{RefreshToken}'" };
        var initializer = new RedactingTelemetryInitializer();

        foreach (var telemetry in new Microsoft.ApplicationInsights.Channel.ITelemetry[] { trace, exception, request, dependency })
        {
            initializer.Initialize(telemetry);
        }

        Assert.Equal("GraphQL login with [redacted]", trace.Message);
        Assert.Equal(SecretRedactor.Marker, trace.Properties["password"]);
        Assert.Equal("refresh [redacted]", trace.Properties["Detail"]);
        Assert.Equal("abc-123", trace.Properties["requestId"]);
        Assert.All(exception.ExceptionDetailsInfoList, details => Assert.DoesNotContain(Jwt, details.Message, StringComparison.Ordinal));
        Assert.DoesNotContain(Jwt, request.Url.ToString(), StringComparison.Ordinal);
        Assert.Equal("PartitionKey='[redacted]'", dependency.Data);
    }

    /// <summary>One event through the production pipeline (enricher, redacting sink, CompactJson) as the line the file gets.</summary>
    private static string WriteOne(Action<Logger> log)
    {
        var output = new StringWriter();
        var formatter = new CompactJsonFormatter();
        using (var logger = Logger(new DelegatingSink(e => formatter.Format(e, output))))
        {
            log(logger);
        }

        return Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static Logger Logger(ILogEventSink destination) => new LoggerConfiguration()
        .Enrich.With<SecretRedactor>()
        .WriteTo.Sink(new RedactingSink(destination))
        .CreateLogger();

    /// <summary>A thrown exception, so it has a stack trace as logged ones do.</summary>
    private static Exception Throw(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception thrown)
        {
            return thrown;
        }
    }

    private sealed class DelegatingSink(Action<LogEvent> emit) : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => emit(logEvent);
    }
}
