using Qraft.Storage;
using Qraft.Tests.Infrastructure;
using Qraft.Users;

namespace Qraft.Tests.Storage;

/// <summary>Each test owns its Azurite, because it stops it.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageOutageTests
{
    private static readonly User Frank =
        new("1", "frank@example.io", "pbkdf2_sha256$600000$salt$hash=", new DateTimeOffset(2022, 2, 11, 4, 22, 55, TimeSpan.Zero), null);

    [Fact]
    public async Task StoppedStorageGivesStorageUnavailableAndServiceResumesWithTheDataKept()
    {
        await using var azurite = await AzuriteProcess.StartNewAsync();
        await using var services = await StorageServices.StartAsync(azurite.ConnectionString, StorageServices.NewTablePrefix());
        Assert.True(await services.Users.TryAddAsync(Frank, CancellationToken.None));

        await azurite.StopAsync();

        Assert.False(await services.IsStorageReachableAsync(CancellationToken.None));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => services.Users.FindAsync(Frank.Email, CancellationToken.None));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => services.Users.TryAddAsync(Frank with { Id = "2", Email = "gina@example.io" }, CancellationToken.None));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => services.RefreshTokens.IssueAsync(Frank.Email, 0, CancellationToken.None));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => services.Throttle.CheckAsync(Frank.Email, "192.0.2.1", CancellationToken.None));

        await azurite.StartAsync();

        Assert.True(await services.IsStorageReachableAsync(CancellationToken.None));
        Assert.Equal(Frank, await services.Users.FindAsync(Frank.Email, CancellationToken.None));
    }

    [Fact]
    public async Task TablesAreCreatedOnceStorageComesUpAfterTheFirstCallFailed()
    {
        await using var azurite = await AzuriteProcess.StartNewAsync();
        await azurite.StopAsync();
        await using var services = await StorageServices.StartAsync(azurite.ConnectionString, StorageServices.NewTablePrefix());

        await Assert.ThrowsAsync<StorageUnavailableException>(() => services.Users.TryAddAsync(Frank, CancellationToken.None));
        Assert.False(await services.IsStorageReachableAsync(CancellationToken.None));

        await azurite.StartAsync();

        Assert.True(await services.Users.TryAddAsync(Frank, CancellationToken.None));
        Assert.True(await services.IsStorageReachableAsync(CancellationToken.None));
    }

    [Fact]
    public async Task TheCallersCancellationStaysOperationCanceled()
    {
        await using var azurite = await AzuriteProcess.StartNewAsync();
        await using var services = await StorageServices.StartAsync(azurite.ConnectionString, StorageServices.NewTablePrefix());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => services.Users.FindAsync(Frank.Email, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => services.IsStorageReachableAsync(cancelled.Token));

        await azurite.StopAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => services.Users.FindAsync(Frank.Email, cancelled.Token));
    }
}
