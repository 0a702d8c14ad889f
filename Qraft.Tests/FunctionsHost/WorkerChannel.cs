using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using Qraft.Tests.FunctionsHost.Rpc;

namespace Qraft.Tests.FunctionsHost;

/// <summary>
/// The host's end of the worker's one event stream: messages to the worker go out in order; invocation responses find
/// their request by invocation id, logs are kept, and every other message waits for the step of the start-up that
/// expects it.
/// </summary>
public sealed class WorkerChannel
{
    private const int KeptLogs = 200;

    private readonly Channel<StreamingMessage> _outbound = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<StreamingMessage> _control = Channel.CreateUnbounded<StreamingMessage>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<InvocationResponse>> _invocations = new();
    private readonly ConcurrentQueue<RpcLog> _logs = new();
    private int _streams;

    /// <summary>The log lines the worker sent over the stream, most recent last.</summary>
    public IReadOnlyCollection<RpcLog> Logs => _logs;

    public void Send(StreamingMessage message)
    {
        if (!_outbound.Writer.TryWrite(message))
        {
            throw new FunctionsHostException($"The worker's stream is closed; cannot send {message.ContentCase}.");
        }
    }

    /// <summary>The next message that is neither a log nor an invocation response; it must be of the kind given.</summary>
    public async Task<StreamingMessage> ReceiveAsync(StreamingMessage.ContentOneofCase expected, CancellationToken cancellationToken)
    {
        if (!await _control.Reader.WaitToReadAsync(cancellationToken) || !_control.Reader.TryRead(out var message))
        {
            throw new FunctionsHostException($"The worker closed its stream while the host waited for {expected}.");
        }

        return message.ContentCase == expected
            ? message
            : throw new FunctionsHostException($"The host waited for {expected}; the worker sent {message.ContentCase}.");
    }

    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var response = new TaskCompletionSource<InvocationResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _invocations[request.InvocationId] = response;
        try
        {
            Send(new StreamingMessage { InvocationRequest = request });
            return await response.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            _invocations.TryRemove(request.InvocationId, out _);
        }
    }

    /// <summary>Serves the stream the worker opened until either side ends it.</summary>
    public async Task RunAsync(IAsyncStreamReader<StreamingMessage> fromWorker, IServerStreamWriter<StreamingMessage> toWorker, CancellationToken cancellationToken)
    {
        // One worker process, one stream: the host advertises no MultiStream capability here.
        if (Interlocked.Increment(ref _streams) > 1)
        {
            throw new Grpc.Core.RpcException(new Status(StatusCode.AlreadyExists, "This host serves one event stream."));
        }

        var writing = WriteAsync(toWorker, cancellationToken);
        try
        {
            await foreach (var message in fromWorker.ReadAllAsync(cancellationToken))
            {
                Dispatch(message);
            }
        }
        finally
        {
            _outbound.Writer.TryComplete();
            _control.Writer.TryComplete();
            foreach (var pending in _invocations.Values)
            {
                pending.TrySetException(new FunctionsHostException("The worker closed its stream during an invocation."));
            }
        }

        await writing;
    }

    private async Task WriteAsync(IServerStreamWriter<StreamingMessage> toWorker, CancellationToken cancellationToken)
    {
        await foreach (var message in _outbound.Reader.ReadAllAsync(cancellationToken))
        {
            await toWorker.WriteAsync(message, cancellationToken);
        }
    }

    private void Dispatch(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.RpcLog:
                _logs.Enqueue(message.RpcLog);
                while (_logs.Count > KeptLogs)
                {
                    _logs.TryDequeue(out _);
                }

                break;
            case StreamingMessage.ContentOneofCase.InvocationResponse:
                if (_invocations.TryGetValue(message.InvocationResponse.InvocationId, out var pending))
                {
                    pending.TrySetResult(message.InvocationResponse);
                }

                break;
            default:
                _control.Writer.TryWrite(message);
                break;
        }
    }
}
