using Azure.Data.Tables;
using Qraft.Tests.Infrastructure;
using Qraft.Users;

namespace Qraft.Tests.Storage;

/// <summary>
/// The key layout every store shares (SingleEntityPartition): one entity per partition, RowKey = PartitionKey. A
/// constant RowKey would still work, but Azurite would scan the whole table on every read and insert again.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageLayoutTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task EveryEntityIsAloneInItsPartitionWithItsPartitionKeyAsRowKey()
    {
        var prefix = StorageServices.NewTablePrefix();
        await using (var services = await StorageServices.StartAsync(azurite.ConnectionString, prefix))
        {
            var user = new User("1", "Layout@Example.io", "pbkdf2_sha256$600000$salt$hash", DateTimeOffset.UnixEpoch, null);
            Assert.True(await services.Users.TryAddAsync(user, CancellationToken.None));
            await services.Users.RecordLoginAsync(user.Email, DateTimeOffset.UnixEpoch.AddDays(1), null, CancellationToken.None);
            await services.Throttle.RecordFailureAsync(user.Email, "192.0.2.9", CancellationToken.None);
            var issued = await services.RefreshTokens.IssueAsync(user.Email, 0, CancellationToken.None);
            await services.RefreshTokens.RevokeAsync(issued.Token, CancellationToken.None);
        }

        // users: one; loginthrottle: the account and the address; refreshtokens: the token and its revoked family.
        foreach (var (table, expected) in new[] { ("users", 1), ("loginthrottle", 2), ("refreshtokens", 2) })
        {
            var entities = await new TableClient(azurite.ConnectionString, prefix + table)
                .QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]).ToListAsync();
            Assert.Equal(expected, entities.Count);
            Assert.All(entities, entity => Assert.Equal(entity.PartitionKey, entity.RowKey));
            Assert.Equal(expected, entities.Select(entity => entity.PartitionKey).Distinct().Count());
        }
    }
}
