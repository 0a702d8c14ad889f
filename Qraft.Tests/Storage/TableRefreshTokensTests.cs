using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using Qraft.Security;
using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class TableRefreshTokensTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Email = "henry@example.io";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2022, 2, 11, 4, 22, 55, TimeSpan.Zero));
    private readonly string _tablePrefix = StorageServices.NewTablePrefix();
    private StorageServices? _services;

    private IRefreshTokens Tokens => _services!.RefreshTokens;

    public async Task InitializeAsync() => _services = await StartReplicaAsync();

    public async Task DisposeAsync() => await _services!.DisposeAsync();

    [Fact]
    public async Task IssuedTokenIsFortyHexDigitsValidForTheConfiguredLifetime()
    {
        var issued = await Tokens.IssueAsync(Email, 0, CancellationToken.None);

        Assert.Matches("^[0-9a-f]{40}$", issued.Token);
        Assert.Equal(_time.GetUtcNow().AddDays(7), issued.ExpiresAt);

        await using var shortLived = await StartReplicaAsync(new() { ["Jwt:RefreshTokenLifetime"] = "01:00:00" });
        Assert.Equal(_time.GetUtcNow().AddHours(1), (await shortLived.RefreshTokens.IssueAsync(Email, 0, CancellationToken.None)).ExpiresAt);
    }

    [Fact]
    public async Task RotationCarriesTheSessionEpochTheFamilyWasStampedWith()
    {
        var issued = await Tokens.IssueAsync(Email, 1_644_553_375, CancellationToken.None);

        var first = await Tokens.RotateAsync(issued.Token, CancellationToken.None);
        var second = await Tokens.RotateAsync(first.Next!.Token, CancellationToken.None);

        Assert.Equal(1_644_553_375, first.SessionEpoch);
        Assert.Equal(1_644_553_375, second.SessionEpoch);
    }

    [Fact]
    public async Task OnlyTheTokensHashIsStored()
    {
        var issued = await Tokens.IssueAsync(Email, 0, CancellationToken.None);

        var table = new TableClient(azurite.ConnectionString, _tablePrefix + "refreshtokens");
        var row = Assert.Single(await table.QueryAsync<TableEntity>().ToListAsync());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(issued.Token))), row.PartitionKey);
        Assert.Equal(row.PartitionKey, row.RowKey);
        Assert.DoesNotContain(((IDictionary<string, object>)row).Values, value => value?.ToString()?.Contains(issued.Token, StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task RotationIssuesANewTokenAndRetiresTheOldOne()
    {
        var first = await Tokens.IssueAsync(Email, 0, CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(1));

        var rotated = await Tokens.RotateAsync(first.Token, CancellationToken.None);

        Assert.Equal(RefreshStatus.Rotated, rotated.Status);
        Assert.Equal(Email, rotated.Email);
        Assert.NotNull(rotated.Next);
        Assert.NotEqual(first.Token, rotated.Next.Token);
        Assert.Equal(_time.GetUtcNow().AddDays(7), rotated.Next.ExpiresAt);
        Assert.Equal(RefreshStatus.Rotated, (await Tokens.RotateAsync(rotated.Next.Token, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task ReusingARotatedTokenRevokesTheWholeFamily()
    {
        var stolen = await Tokens.IssueAsync(Email, 0, CancellationToken.None);
        var legitimate = (await Tokens.RotateAsync(stolen.Token, CancellationToken.None)).Next!;
        var unrelated = await Tokens.IssueAsync(Email, 0, CancellationToken.None);

        Assert.Equal(new RefreshResult(RefreshStatus.Reused, Email, null), await Tokens.RotateAsync(stolen.Token, CancellationToken.None));

        Assert.Equal(RefreshStatus.Reused, (await Tokens.RotateAsync(legitimate.Token, CancellationToken.None)).Status);
        Assert.Equal(RefreshStatus.Rotated, (await Tokens.RotateAsync(unrelated.Token, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task ConcurrentRotationsOfOneTokenOnTwoReplicasHaveExactlyOneWinner()
    {
        await using var otherReplica = await StartReplicaAsync();
        var issued = await Tokens.IssueAsync(Email, 0, CancellationToken.None);

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            (i % 2 == 0 ? Tokens : otherReplica.RefreshTokens).RotateAsync(issued.Token, CancellationToken.None)));

        Assert.Single(results, result => result.Status == RefreshStatus.Rotated);
        Assert.All(results.Where(result => result.Status != RefreshStatus.Rotated), result => Assert.Equal(RefreshStatus.Reused, result.Status));
    }

    [Fact]
    public async Task UnknownTokenIsInvalid()
    {
        Assert.Equal(new RefreshResult(RefreshStatus.Invalid, null, null), await Tokens.RotateAsync(new string('0', 40), CancellationToken.None));
        Assert.Null(await Tokens.RevokeAsync(new string('0', 40), CancellationToken.None));
    }

    [Fact]
    public async Task TokenPastItsLifetimeIsExpired()
    {
        var issued = await Tokens.IssueAsync(Email, 0, CancellationToken.None);

        _time.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        var stillValid = await Tokens.RotateAsync(issued.Token, CancellationToken.None);
        Assert.Equal(RefreshStatus.Rotated, stillValid.Status);

        _time.Advance(TimeSpan.FromDays(7));
        Assert.Equal(new RefreshResult(RefreshStatus.Expired, Email, null), await Tokens.RotateAsync(stillValid.Next!.Token, CancellationToken.None));
    }

    [Fact]
    public async Task DeletingAnAccountsTokensTakesEveryOneOfItsFamiliesAndNoOtherAccounts()
    {
        var first = await Tokens.IssueAsync(Email, 0, CancellationToken.None);
        var rotated = await Tokens.RotateAsync(first.Token, CancellationToken.None);
        var second = await Tokens.IssueAsync(Email, 0, CancellationToken.None);
        var other = await Tokens.IssueAsync("ida@example.io", 0, CancellationToken.None);

        var deleted = await Tokens.DeleteAllAsync(Email, CancellationToken.None);

        Assert.Equal(3, deleted);
        Assert.Equal(RefreshStatus.Invalid, (await Tokens.RotateAsync(rotated.Next!.Token, CancellationToken.None)).Status);
        Assert.Equal(RefreshStatus.Invalid, (await Tokens.RotateAsync(second.Token, CancellationToken.None)).Status);
        Assert.Equal(RefreshStatus.Rotated, (await Tokens.RotateAsync(other.Token, CancellationToken.None)).Status);
        Assert.Equal(0, await Tokens.DeleteAllAsync(Email, CancellationToken.None));
    }

    [Fact]
    public async Task RevokeReturnsTheRevocationTimeAndEndsTheFamily()
    {
        var first = await Tokens.IssueAsync(Email, 0, CancellationToken.None);
        var current = (await Tokens.RotateAsync(first.Token, CancellationToken.None)).Next!;
        _time.Advance(TimeSpan.FromMinutes(3));

        Assert.Equal(_time.GetUtcNow(), await Tokens.RevokeAsync(current.Token, CancellationToken.None));

        Assert.Equal(RefreshStatus.Reused, (await Tokens.RotateAsync(current.Token, CancellationToken.None)).Status);
    }

    private Task<StorageServices> StartReplicaAsync(Dictionary<string, string?>? settings = null) =>
        StorageServices.StartAsync(azurite.ConnectionString, _tablePrefix, _time, settings);
}
