using Microsoft.ApplicationInsights.Channel;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Extensions.Options;

namespace Qraft.Observability;

/// <summary>
/// Names the service and the replica on every telemetry item, as logs and metrics name them: the role is the
/// Functions app's name when Azure set one, else <c>qraft_users</c>; the role instance is <c>QRAFT_INSTANCE</c>.
/// </summary>
internal sealed class ReplicaTelemetryInitializer(IOptions<InstanceOptions> options) : ITelemetryInitializer
{
    public const string RoleName = "qraft_users";

    private readonly string _instance = options.Value.Instance;

    public void Initialize(ITelemetry telemetry)
    {
        var cloud = telemetry.Context.Cloud;
        if (string.IsNullOrEmpty(cloud.RoleName))
        {
            cloud.RoleName = RoleName;
        }

        cloud.RoleInstance = _instance;
    }
}
