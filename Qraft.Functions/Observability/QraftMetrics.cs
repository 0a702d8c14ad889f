using Prometheus;

namespace Qraft.Observability;

/// <summary>
/// Every metric this replica exports, in one registry owned by the container rather than prometheus-net's static default,
/// so two replicas in one test process never share counters. Labels are bounded sets (operation names from the schema,
/// outcome codes), never an email, token or path.
/// </summary>
public sealed class QraftMetrics
{
    private static readonly double[] RequestBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
    private static readonly double[] HashBuckets = [0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2];

    public QraftMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        var factory = Metrics.WithCustomRegistry(Registry);

        GraphQLRequests = factory.CreateCounter(
            "qraft_graphql_requests_total", "GraphQL operations by root field and outcome (ok or an error code).", "operation", "outcome");
        GraphQLDuration = factory.CreateHistogram(
            "qraft_graphql_request_duration_seconds", "Time to execute a GraphQL request.",
            new HistogramConfiguration { LabelNames = ["operation", "outcome"], Buckets = RequestBuckets });
        DocumentCache = factory.CreateCounter(
            "qraft_graphql_document_cache_total", "GraphQL documents looked up in the parsed-document cache, by result (hit or miss).", "result");
        SignUps = factory.CreateCounter("qraft_signups_total", "Accounts created.");
        Logins = factory.CreateCounter("qraft_logins_total", "Login attempts by result.", "result");
        Throttled = factory.CreateCounter("qraft_login_throttled_total", "Login attempts refused by throttling without hashing.");
        PasswordHashes = factory.CreateHistogram(
            "qraft_password_hash_duration_seconds", "Time of one password hash or verification.",
            new HistogramConfiguration { Buckets = HashBuckets });
        PasswordHashEngine = factory.CreateGauge(
            "qraft_password_hash_engine", "1 for the PBKDF2-HMAC-SHA256 engine this replica hashes passwords with (sha-ni, arm64-sha2 or platform).", "engine");
        StorageCalls = factory.CreateHistogram(
            "qraft_storage_call_duration_seconds", "Table Storage calls by operation.",
            new HistogramConfiguration { LabelNames = ["operation"], Buckets = RequestBuckets });
        StorageErrors = factory.CreateCounter(
            "qraft_storage_errors_total", "Table Storage calls that failed because storage was unavailable.", "operation");
        Purged = factory.CreateCounter(
            "qraft_storage_purged_total", "Expired rows deleted by the periodic purge, by table.", "table");
    }

    public CollectorRegistry Registry { get; }

    public Counter GraphQLRequests { get; }

    public Histogram GraphQLDuration { get; }

    public Counter DocumentCache { get; }

    public Counter SignUps { get; }

    public Counter Logins { get; }

    public Counter Throttled { get; }

    public Histogram PasswordHashes { get; }

    public Gauge PasswordHashEngine { get; }

    public Histogram StorageCalls { get; }

    public Counter StorageErrors { get; }

    public Counter Purged { get; }
}
