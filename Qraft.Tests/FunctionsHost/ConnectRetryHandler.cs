namespace Qraft.Tests.FunctionsHost;

/// <summary>
/// The host's policy for proxying to its worker: a request that fails to connect is tried again, up to 10 attempts,
/// 50 ms apart at first and doubling to at most 250 ms (about 1.9 s in all). The worker reports its HttpUri before its
/// Kestrel listens, so the first requests after a start can meet a refused connection; the host rides that out.
/// </summary>
internal sealed class ConnectRetryHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private const int MaxAttempts = 10;
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromMilliseconds(250);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var delay = FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException) when (attempt < MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestDelay.Ticks));
            }
        }
    }
}
