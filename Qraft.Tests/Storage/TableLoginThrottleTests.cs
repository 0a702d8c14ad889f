using Microsoft.Extensions.Time.Testing;
using Qraft.Security;
using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class TableLoginThrottleTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Email = "ivy@example.io";
    private const string Address = "203.0.113.7";

    /// <summary>Smaller than the defaults so tests stay short; the two limits differ so each is seen on its own.</summary>
    private static readonly Dictionary<string, string?> Limits = new()
    {
        ["Qraft:Throttle:MaxFailuresPerAccount"] = "3",
        ["Qraft:Throttle:MaxFailuresPerAddress"] = "5",
        ["Qraft:Throttle:Window"] = "00:15:00",
    };

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2022, 2, 11, 4, 22, 55, TimeSpan.Zero));
    private readonly string _tablePrefix = StorageServices.NewTablePrefix();
    private StorageServices? _services;

    private ILoginThrottle Throttle => _services!.Throttle;

    public async Task InitializeAsync() => _services = await StartReplicaAsync();

    public async Task DisposeAsync() => await _services!.DisposeAsync();

    [Fact]
    public async Task AccountIsThrottledAtItsLimitWhateverTheAddress()
    {
        await FailAsync(Email, "192.0.2.1");
        await FailAsync(Email, "192.0.2.2");
        Assert.False(await IsThrottledAsync(Email, "192.0.2.3"));

        await FailAsync("IVY@example.io", null);

        Assert.True(await IsThrottledAsync(Email, "192.0.2.3"));
        Assert.True(await IsThrottledAsync(Email, null));
        Assert.False(await IsThrottledAsync("jack@example.io", "192.0.2.3"));
    }

    [Fact]
    public async Task AddressIsThrottledAtItsLimitWhateverTheAccount()
    {
        for (var i = 0; i < 4; i++)
        {
            await FailAsync($"user{i}@example.io", Address);
        }

        Assert.False(await IsThrottledAsync("new@example.io", Address));

        await FailAsync("user4@example.io", Address);

        Assert.True(await IsThrottledAsync("new@example.io", Address));
        Assert.False(await IsThrottledAsync("new@example.io", "192.0.2.1"));
        Assert.False(await IsThrottledAsync("new@example.io", null));
    }

    [Fact]
    public async Task SuccessClearsTheAccountButNotTheAddress()
    {
        for (var i = 0; i < 5; i++)
        {
            await FailAsync(Email, Address);
        }

        await Throttle.RecordSuccessAsync(Email, CancellationToken.None);

        Assert.False(await IsThrottledAsync(Email, null));
        Assert.True(await IsThrottledAsync(Email, Address));

        await Throttle.RecordSuccessAsync("never-failed@example.io", CancellationToken.None);
    }

    [Fact]
    public async Task TheCheckTellsWhetherTheAccountHasACountToClear()
    {
        Assert.False((await Throttle.CheckAsync(Email, Address, CancellationToken.None)).AccountHasFailures);

        await FailAsync("other@example.io", Address);
        Assert.False((await Throttle.CheckAsync(Email, Address, CancellationToken.None)).AccountHasFailures);

        await FailAsync(Email, null);
        Assert.Equal(new ThrottleCheck(false, true), await Throttle.CheckAsync(Email, Address, CancellationToken.None));

        await Throttle.RecordSuccessAsync(Email, CancellationToken.None);
        Assert.False((await Throttle.CheckAsync(Email, Address, CancellationToken.None)).AccountHasFailures);
    }

    [Fact]
    public async Task ALoginNameSpelledLikeAnAddressKeepsItsOwnCount()
    {
        for (var i = 0; i < 5; i++)
        {
            await FailAsync(Address, null);
        }

        Assert.True(await IsThrottledAsync(Address, null));
        Assert.False(await IsThrottledAsync(Email, Address));
    }

    [Fact]
    public async Task TheWindowOpensAtTheFirstFailureAndClosesAfterItsLength()
    {
        await FailAsync(Email, null);
        _time.Advance(TimeSpan.FromMinutes(10));
        await FailAsync(Email, null);
        await FailAsync(Email, null);
        Assert.True(await IsThrottledAsync(Email, null));

        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.True(await IsThrottledAsync(Email, null));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await IsThrottledAsync(Email, null));

        // A new window starts with the next failure, counting from one.
        await FailAsync(Email, null);
        await FailAsync(Email, null);
        Assert.False(await IsThrottledAsync(Email, null));
    }

    [Fact]
    public async Task ReplicasShareTheCountsAndConcurrentFailuresAreAllCounted()
    {
        await using var otherReplica = await StartReplicaAsync(new() { ["Qraft:Throttle:MaxFailuresPerAccount"] = "8" });
        await using var firstReplica = await StartReplicaAsync(new() { ["Qraft:Throttle:MaxFailuresPerAccount"] = "8" });

        await Task.WhenAll(Enumerable.Range(0, 7).Select(i =>
            (i % 2 == 0 ? firstReplica : otherReplica).Throttle.RecordFailureAsync(Email, null, CancellationToken.None)));

        Assert.False(await IsThrottledAsync(firstReplica, Email, null));
        await otherReplica.Throttle.RecordFailureAsync(Email, null, CancellationToken.None);
        Assert.True(await IsThrottledAsync(firstReplica, Email, null));
        Assert.True(await IsThrottledAsync(otherReplica, Email, null));
    }

    private Task FailAsync(string email, string? address) => Throttle.RecordFailureAsync(email, address, CancellationToken.None);

    private Task<bool> IsThrottledAsync(string email, string? address) => IsThrottledAsync(_services!, email, address);

    private static async Task<bool> IsThrottledAsync(StorageServices replica, string email, string? address) =>
        (await replica.Throttle.CheckAsync(email, address, CancellationToken.None)).IsThrottled;

    private Task<StorageServices> StartReplicaAsync(Dictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>(Limits);
        foreach (var (key, value) in overrides ?? [])
        {
            settings[key] = value;
        }

        return StorageServices.StartAsync(azurite.ConnectionString, _tablePrefix, _time, settings);
    }
}
