using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Qraft.Tests.Stack;

/// <summary>What a <see cref="SteadyLoad"/> saw.</summary>
internal sealed record LoadResult(int Succeeded, IReadOnlyList<string> Failures, IReadOnlyDictionary<string, int> ServedBy);

/// <summary>
/// A bounded, steady stream of GraphQL requests through HAProxy from a few
/// workers: it stops on <see cref="StopAsync"/>, after a request cap or after a
/// time cap, whichever comes first. Every non-200 response or transport error
/// is a failure.
/// </summary>
internal sealed class SteadyLoad : IAsyncDisposable
{
    private static readonly TimeSpan PauseBetweenRequests = TimeSpan.FromMilliseconds(10);
    private const string Query = """{"query":"{ __typename }"}""";
    private readonly CancellationTokenSource _stop;
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ConcurrentDictionary<string, int> _servedBy = new(StringComparer.Ordinal);
    private readonly Task[] _workers;
    private int _succeeded;
    private int _sent;

    public SteadyLoad(HttpClient client, Uri baseUri, int workers = 4, int maxRequests = 20_000, TimeSpan? maxDuration = null)
    {
        _stop = new CancellationTokenSource(maxDuration ?? TimeSpan.FromMinutes(3));
        var endpoint = new Uri(baseUri, "/graphql/");
        _workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(() => RunAsync(client, endpoint, maxRequests)))];
    }

    /// <summary>Workers, i.e. the most requests that can be in flight at once.</summary>
    public int Concurrency => _workers.Length;

    public int Succeeded => Volatile.Read(ref _succeeded);

    /// <summary>Waits (bounded) until at least <paramref name="count"/> more requests succeeded.</summary>
    public async Task WaitForMoreSuccessesAsync(int count, TimeSpan timeout)
    {
        var target = Succeeded + count;
        var clock = Stopwatch.StartNew();
        while (Succeeded < target)
        {
            if (clock.Elapsed > timeout || _stop.IsCancellationRequested)
            {
                throw new TimeoutException($"load made no progress: {Succeeded} of {target} successes after {timeout}");
            }

            await Task.Delay(50);
        }
    }

    public async Task<LoadResult> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        return new LoadResult(Succeeded, [.. _failures], new Dictionary<string, int>(_servedBy));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task RunAsync(HttpClient client, Uri endpoint, int maxRequests)
    {
        while (!_stop.IsCancellationRequested && Interlocked.Increment(ref _sent) <= maxRequests)
        {
            try
            {
                using var content = new StringContent(Query, Encoding.UTF8, "application/json");
                using var response = await client.PostAsync(endpoint, content, CancellationToken.None);
                var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                if (response.IsSuccessStatusCode && body.Contains("__typename", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref _succeeded);
                    var by = response.Headers.TryGetValues("X-Served-By", out var values) ? values.First() : "?";
                    _servedBy.AddOrUpdate(by, 1, (_, n) => n + 1);
                }
                else
                {
                    _failures.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} HTTP {(int)response.StatusCode}: {body[..Math.Min(body.Length, 200)]}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                _failures.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {e.GetType().Name}: {e.Message}");
            }

            await Task.Delay(PauseBetweenRequests, CancellationToken.None); // steady, not a flood: 2 cores are shared
        }
    }
}
