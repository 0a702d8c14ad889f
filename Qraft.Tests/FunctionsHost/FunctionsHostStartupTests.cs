namespace Qraft.Tests.FunctionsHost;

/// <summary>What the worker tells the host while it starts: its capabilities and the functions it indexed.</summary>
[Collection(FunctionsHostCollection.Name)]
public sealed class FunctionsHostStartupTests(FunctionsHostFixture fixture)
{
    [Fact]
    public void TheWorkerReportsTheCapabilitiesTheHostProxiesHttpBy()
    {
        var capabilities = fixture.Harness.Init.Capabilities;

        Assert.True(Uri.TryCreate(capabilities[FunctionsHostHarness.HttpUriCapability], UriKind.Absolute, out var httpUri), string.Join(", ", capabilities));
        Assert.Equal("http", httpUri.Scheme);
        Assert.Equal("True", capabilities["HandlesWorkerTerminateMessage"], ignoreCase: true);
        Assert.Equal("True", capabilities["RpcHttpTriggerMetadataRemoved"], ignoreCase: true);
    }
}
