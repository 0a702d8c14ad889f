using Microsoft.Extensions.Time.Testing;
using Qraft.Observability;
using Qraft.Security;
using Qraft.Storage;
using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Storage;

/// <summary>The periodic purge against Azurite: what it deletes, what it must leave, and one purge per interval across replicas.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ExpiredStatePurgeTests(AzuriteFixture azurite)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero));
    private readonly string _tablePrefix = StorageServices.NewTablePrefix();

    [Fact]
    public async Task DeletesOnlyRowsThatCanNoLongerMatter()
    {
        await using var replica = await StartAsync();
        var tokens = replica.RefreshTokens;
        var expiring = await tokens.IssueAsync("old@example.io", 0, CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(3));
        var living = await tokens.IssueAsync("new@example.io", 0, CancellationToken.None);
        var revoked = await tokens.IssueAsync("revoked@example.io", 0, CancellationToken.None);
        await tokens.RevokeAsync(revoked.Token, CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(4) - TimeSpan.FromMinutes(20));
        await replica.Throttle.RecordFailureAsync("closed@example.io", null, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(20) + TimeSpan.FromSeconds(1));
        await replica.Throttle.RecordFailureAsync("open@example.io", null, CancellationToken.None);
        Assert.Equal(RefreshStatus.Expired, (await tokens.RotateAsync(expiring.Token, CancellationToken.None)).Status);

        var deleted = await replica.Get<ExpiredStatePurge>().RunOnceAsync(CancellationToken.None);

        // The expired token, and the account count whose 15-minute window closed 5 minutes ago.
        Assert.Equal(2, deleted);
        Assert.Equal(1, replica.Get<QraftMetrics>().Purged.WithLabels("refreshtokens").Value);
        Assert.Equal(1, replica.Get<QraftMetrics>().Purged.WithLabels("loginthrottle").Value);
        Assert.Equal(RefreshStatus.Invalid, (await tokens.RotateAsync(expiring.Token, CancellationToken.None)).Status);
        Assert.False((await replica.Throttle.CheckAsync("closed@example.io", null, CancellationToken.None)).AccountHasFailures);
        Assert.True((await replica.Throttle.CheckAsync("open@example.io", null, CancellationToken.None)).AccountHasFailures);

        // The revoked family's row outlives the purge while its token could still be presented.
        Assert.Equal(RefreshStatus.Reused, (await tokens.RotateAsync(revoked.Token, CancellationToken.None)).Status);
        Assert.Equal(RefreshStatus.Rotated, (await tokens.RotateAsync(living.Token, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task RevokedFamilyGoesOnceNoTokenOfItCanLive()
    {
        await using var replica = await StartAsync();
        var revoked = await replica.RefreshTokens.IssueAsync("revoked@example.io", 0, CancellationToken.None);
        await replica.RefreshTokens.RevokeAsync(revoked.Token, CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(7));

        var deleted = await replica.Get<ExpiredStatePurge>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(2, deleted);
        Assert.Equal(RefreshStatus.Invalid, (await replica.RefreshTokens.RotateAsync(revoked.Token, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task AShortenedLifetimeAppliesToTokensIssuedBefore()
    {
        await using var before = await StartAsync();
        var issued = await before.RefreshTokens.IssueAsync("henry@example.io", 0, CancellationToken.None);
        await using var after = await StartAsync(new() { ["Jwt:RefreshTokenLifetime"] = "01:00:00" });
        _time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(RefreshStatus.Expired, (await after.RefreshTokens.RotateAsync(issued.Token, CancellationToken.None)).Status);
        Assert.Equal(1, await after.Get<ExpiredStatePurge>().RunOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task OneReplicaPurgesPerInterval()
    {
        var hourly = new Dictionary<string, string?> { [$"{PurgeOptions.SectionName}:Interval"] = "01:00:00" };
        await using var one = await StartAsync(hourly);
        await using var two = await StartAsync(hourly);

        var first = await one.Get<ExpiredStatePurge>().RunOnceAsync(CancellationToken.None);
        var second = await two.Get<ExpiredStatePurge>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(0, first);
        Assert.Null(second);
    }

    [Fact]
    public async Task ALeaseLapsesAfterItsPeriodAndNotBefore()
    {
        await using var replica = await StartAsync();
        var leases = replica.Get<StorageLeases>();
        var now = _time.GetUtcNow();
        var hour = TimeSpan.FromHours(1);

        Assert.True(await leases.TryTakeAsync("job", "a", now, hour, CancellationToken.None));
        Assert.False(await leases.TryTakeAsync("job", "b", now + TimeSpan.FromMinutes(59), hour, CancellationToken.None));
        Assert.True(await leases.TryTakeAsync("other-job", "b", now, hour, CancellationToken.None));
        Assert.True(await leases.TryTakeAsync("job", "b", now + hour, hour, CancellationToken.None));
        Assert.False(await leases.TryTakeAsync("job", "a", now + hour, hour, CancellationToken.None));
    }

    [Fact]
    public async Task TheHostedPurgeRunsEachInterval()
    {
        await using var replica = await StartAsync(new() { [$"{PurgeOptions.SectionName}:Interval"] = "01:00:00" });
        var expiring = await replica.RefreshTokens.IssueAsync("old@example.io", 0, CancellationToken.None);

        _time.Advance(TimeSpan.FromDays(7));

        // The timer fires on the advance; the purge then runs on its own. Bounded wait for its effect, not a timing check.
        var status = RefreshStatus.Expired;
        for (var attempt = 0; attempt < 100 && status != RefreshStatus.Invalid; attempt++)
        {
            await Task.Delay(100);
            status = (await replica.RefreshTokens.RotateAsync(expiring.Token, CancellationToken.None)).Status;
        }

        Assert.Equal(RefreshStatus.Invalid, status);
    }

    [Fact]
    public async Task APurgeThatCannotReachStorageReportsNothingAndThrowsNothing()
    {
        const string Nowhere = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;";
        await using var replica = await StorageServices.StartAsync(Nowhere, _tablePrefix, _time);

        Assert.Null(await replica.Get<ExpiredStatePurge>().RunOnceAsync(CancellationToken.None));
    }

    private Task<StorageServices> StartAsync(Dictionary<string, string?>? settings = null) =>
        StorageServices.StartAsync(azurite.ConnectionString, _tablePrefix, _time, settings);
}
