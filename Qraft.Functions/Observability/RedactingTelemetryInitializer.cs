using Microsoft.ApplicationInsights.Channel;
using Microsoft.ApplicationInsights.DataContracts;
using Microsoft.ApplicationInsights.Extensibility;

namespace Qraft.Observability;

/// <summary>
/// The <see cref="SecretRedactor"/> rules for what Application Insights sends, including telemetry that never was a
/// log event (requests, dependencies, exceptions tracked by the SDK's collectors): sensitive property names, and
/// secret-shaped text in messages, exception messages, URLs and dependency commands.
/// </summary>
internal sealed class RedactingTelemetryInitializer : ITelemetryInitializer
{
    public void Initialize(ITelemetry telemetry)
    {
        if (telemetry is ISupportProperties { Properties: { } properties })
        {
            foreach (var (name, value) in properties.ToArray())
            {
                var cleaned = SecretRedactor.IsSensitiveName(name) ? SecretRedactor.Marker : SecretRedactor.Scrub(value);
                if (!ReferenceEquals(cleaned, value))
                {
                    properties[name] = cleaned;
                }
            }
        }

        switch (telemetry)
        {
            case TraceTelemetry trace:
                trace.Message = SecretRedactor.Scrub(trace.Message);
                break;
            case ExceptionTelemetry exception:
                exception.Message = SecretRedactor.Scrub(exception.Message);
                foreach (var details in exception.ExceptionDetailsInfoList)
                {
                    details.Message = SecretRedactor.Scrub(details.Message);
                }

                break;
            case RequestTelemetry request:
                request.Name = SecretRedactor.Scrub(request.Name);
                if (request.Url is { } url && SecretRedactor.LooksSecret(url.OriginalString))
                {
                    request.Url = new Uri(SecretRedactor.Scrub(url.OriginalString), UriKind.RelativeOrAbsolute);
                }

                break;
            case DependencyTelemetry dependency:
                dependency.Name = SecretRedactor.Scrub(dependency.Name);
                dependency.Data = SecretRedactor.Scrub(dependency.Data);
                break;
        }
    }
}
