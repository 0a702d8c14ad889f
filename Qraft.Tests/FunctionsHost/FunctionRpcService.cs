using Grpc.Core;
using Qraft.Tests.FunctionsHost.Rpc;

namespace Qraft.Tests.FunctionsHost;

/// <summary>The gRPC service the worker dials: FunctionRpc.EventStream, handed to the one <see cref="WorkerChannel"/>.</summary>
internal sealed class FunctionRpcService(WorkerChannel channel) : FunctionRpc.FunctionRpcBase
{
    public override Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context) =>
        channel.RunAsync(requestStream, responseStream, context.CancellationToken);
}
