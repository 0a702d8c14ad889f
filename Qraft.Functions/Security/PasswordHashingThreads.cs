using System.Threading.Channels;

namespace Qraft.Security;

/// <summary>
/// Runs password hashing on threads of its own, one per core, in arrival order. A hash is 50-200 ms of pure CPU:
/// run inline it held a thread-pool thread that long, and with as many concurrent logins as cores (the pool's
/// minimum) every other continuation of the replica (storage replies, Kestrel) waited for the pool to inject threads,
/// about one every half second. Here requests await the hash without holding a pool thread, and no more hashes run
/// at once than there are cores to run them.
/// </summary>
public sealed class PasswordHashingThreads : IDisposable
{
    private readonly Channel<Action> _queue = Channel.CreateUnbounded<Action>();

    public PasswordHashingThreads()
    {
        for (var i = 0; i < Environment.ProcessorCount; i++)
        {
            new Thread(Work) { IsBackground = true, Name = $"qraft-hashing-{i}" }.Start();
        }
    }

    public Task<T> RunAsync<T>(Func<T> hashing)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var queued = _queue.Writer.TryWrite(() =>
        {
            try
            {
                done.SetResult(hashing());
            }
            catch (Exception exception)
            {
                done.SetException(exception);
            }
        });
        return queued ? done.Task : Task.FromException<T>(new ObjectDisposedException(nameof(PasswordHashingThreads)));
    }

    /// <summary>Lets the threads finish what is queued and end.</summary>
    public void Dispose() => _queue.Writer.TryComplete();

    private void Work()
    {
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var hashing))
            {
                hashing();
            }
        }
    }
}
