using Google.Protobuf.Reflection;
using Qraft.Tests.FunctionsHost.Rpc;

namespace Qraft.Tests.FunctionsHost;

/// <summary>
/// The harness's FunctionRpc.proto declares a subset of the protocol; it stays wire-compatible only while every message,
/// field, enum value and the service it declares are the ones compiled into the worker's own gRPC assembly.
/// </summary>
public sealed class ProtocolSubsetTests
{
    private static readonly FileDescriptor Harness = FunctionRpcReflection.Descriptor;

    private static readonly FileDescriptor Worker = (FileDescriptor)Type
        .GetType("Microsoft.Azure.Functions.Worker.Grpc.Messages.FunctionRpcReflection, Microsoft.Azure.Functions.Worker.Grpc", throwOnError: true)!
        .GetProperty("Descriptor")!
        .GetValue(null)!;

    private static readonly Dictionary<string, MessageDescriptor> WorkerMessages = AllMessages(Worker.MessageTypes).ToDictionary(m => m.FullName);

    public static TheoryData<string> Messages() => [.. AllMessages(Harness.MessageTypes).Select(m => m.FullName)];

    [Theory]
    [MemberData(nameof(Messages))]
    public void EveryDeclaredFieldHasTheWorkersNumberNameAndType(string message)
    {
        var ours = AllMessages(Harness.MessageTypes).Single(m => m.FullName == message);
        Assert.True(WorkerMessages.TryGetValue(message, out var theirs), $"The worker has no message {message}.");
        Assert.All(ours.Fields.InDeclarationOrder(), field => Assert.Equal(Describe(field), Describe(theirs.FindFieldByNumber(field.FieldNumber))));
        Assert.All(ours.EnumTypes, enumType => Assert.Equal(Values(enumType), Values(theirs.EnumTypes.Single(e => e.Name == enumType.Name)).Intersect(Values(enumType))));
    }

    [Fact]
    public void TheServiceIsTheWorkersEventStream()
    {
        var ours = Harness.Services.Single().FindMethodByName("EventStream");
        var theirs = Worker.Services.Single(s => s.FullName == "AzureFunctionsRpcMessages.FunctionRpc").FindMethodByName("EventStream");

        Assert.Equal("AzureFunctionsRpcMessages.FunctionRpc", ours.Service.FullName);
        Assert.Equal(
            (theirs.InputType.FullName, theirs.OutputType.FullName, theirs.IsClientStreaming, theirs.IsServerStreaming),
            (ours.InputType.FullName, ours.OutputType.FullName, ours.IsClientStreaming, ours.IsServerStreaming));
    }

    private static IEnumerable<MessageDescriptor> AllMessages(IEnumerable<MessageDescriptor> messages) =>
        messages.Where(m => m.GetOptions()?.MapEntry != true).SelectMany(m => AllMessages(m.NestedTypes).Prepend(m));

    private static string Describe(FieldDescriptor? field) => field is null
        ? "(no such field in the worker)"
        : $"{field.FieldNumber} {field.Name} {field.FieldType} repeated={field.IsRepeated} map={field.IsMap} oneof={field.RealContainingOneof?.Name} "
          + (field.FieldType switch
          {
              FieldType.Message => field.MessageType.FullName,
              FieldType.Enum => field.EnumType.FullName,
              _ => string.Empty,
          });

    private static IEnumerable<string> Values(EnumDescriptor enumType) => enumType.Values.Select(v => $"{v.Number}={v.Name}");
}
