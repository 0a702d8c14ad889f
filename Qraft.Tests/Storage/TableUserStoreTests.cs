using Qraft.Tests.Infrastructure;
using Qraft.Users;

namespace Qraft.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class TableUserStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Joined = new(2022, 2, 11, 4, 22, 55, TimeSpan.Zero);

    private readonly string _tablePrefix = StorageServices.NewTablePrefix();
    private StorageServices? _services;

    private IUserStore Store => _services!.Users;

    public async Task InitializeAsync() => _services = await StorageServices.StartAsync(azurite.ConnectionString, _tablePrefix);

    public async Task DisposeAsync() => await _services!.DisposeAsync();

    [Fact]
    public async Task FindIgnoresCaseAndReturnsTheStoredUser()
    {
        // Microsecond precision matters: dateJoined is rendered with six fractional digits.
        var user = NewUser("Alice@Example.io") with { DateJoined = Joined.AddTicks(1_552_890) };
        Assert.True(await Store.TryAddAsync(user, CancellationToken.None));

        Assert.Equal(user, await Store.FindAsync("alice@example.io", CancellationToken.None));
        Assert.Equal(user, await Store.FindAsync("ALICE@EXAMPLE.IO", CancellationToken.None));
        Assert.Null(await Store.FindAsync("bob@example.io", CancellationToken.None));
    }

    [Fact]
    public async Task AddingATakenEmailInAnyCaseReturnsFalseAndKeepsTheFirstUser()
    {
        var first = NewUser("carol@example.io");
        Assert.True(await Store.TryAddAsync(first, CancellationToken.None));

        Assert.False(await Store.TryAddAsync(NewUser("carol@example.io"), CancellationToken.None));
        Assert.False(await Store.TryAddAsync(NewUser("CAROL@example.io"), CancellationToken.None));
        Assert.Equal(first, await Store.FindAsync("carol@example.io", CancellationToken.None));
    }

    [Fact]
    public async Task ConcurrentSignUpsOfOneEmailOnTwoReplicasHaveExactlyOneWinner()
    {
        await using var otherReplica = await StorageServices.StartAsync(azurite.ConnectionString, _tablePrefix);
        var candidates = Enumerable.Range(0, 20).Select(i => NewUser(i % 2 == 0 ? "dave@example.io" : "Dave@Example.io")).ToList();

        var results = await Task.WhenAll(candidates.Select((user, i) =>
            (i % 2 == 0 ? Store : otherReplica.Users).TryAddAsync(user, CancellationToken.None)));

        var winner = Assert.Single(candidates.Where((_, i) => results[i]));
        Assert.Equal(winner, await Store.FindAsync("dave@example.io", CancellationToken.None));
    }

    [Fact]
    public async Task RecordLoginSetsLastLoginAndTheUpgradedHash()
    {
        var user = NewUser("erin@example.io");
        await Store.TryAddAsync(user, CancellationToken.None);
        var firstLogin = Joined.AddDays(1);
        var secondLogin = Joined.AddDays(2);

        await Store.RecordLoginAsync("Erin@Example.io", firstLogin, "pbkdf2_sha256$600000$newsalt$newhash=", CancellationToken.None);
        Assert.Equal(
            user with { LastLogin = firstLogin, PasswordHash = "pbkdf2_sha256$600000$newsalt$newhash=" },
            await Store.FindAsync("erin@example.io", CancellationToken.None));

        await Store.RecordLoginAsync("erin@example.io", secondLogin, null, CancellationToken.None);
        Assert.Equal(
            user with { LastLogin = secondLogin, PasswordHash = "pbkdf2_sha256$600000$newsalt$newhash=" },
            await Store.FindAsync("erin@example.io", CancellationToken.None));
    }

    [Fact]
    public async Task ListPagesInLowerCaseEmailOrder()
    {
        foreach (var email in new[] { "d@x.io", "B@x.io", "e@x.io", "a@x.io", "c@x.io" })
        {
            await Store.TryAddAsync(NewUser(email), CancellationToken.None);
        }

        Assert.Equal(["a@x.io", "B@x.io"], await EmailsAsync(2, null));
        Assert.Equal(["c@x.io", "d@x.io"], await EmailsAsync(2, "b@x.io"));
        Assert.Equal(["e@x.io"], await EmailsAsync(2, "d@x.io"));
        Assert.Empty(await EmailsAsync(2, "e@x.io"));
        Assert.Equal(["a@x.io"], await EmailsAsync(0, null));
        Assert.Equal(5, (await EmailsAsync(int.MaxValue, null)).Count);
    }

    [Fact]
    public async Task EmailsWithCharactersForbiddenInKeysRoundTripAndStayDistinct()
    {
        // "a%2Fb" is what a naive escape of "a/b" would produce: the two must remain different accounts.
        string[] emails = ["a/b@x.io", "a%2Fb@x.io", "c#d@x.io", "e?f@x.io", "g\\h@x.io", "i%j@x.io"];
        foreach (var email in emails)
        {
            Assert.True(await Store.TryAddAsync(NewUser(email), CancellationToken.None), email);
        }

        foreach (var email in emails)
        {
            Assert.Equal(email, (await Store.FindAsync(email.ToUpperInvariant(), CancellationToken.None))?.Email);
            Assert.False(await Store.TryAddAsync(NewUser(email), CancellationToken.None), email);
        }

        Assert.Equal(emails.Order(StringComparer.Ordinal), (await EmailsAsync(100, null)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AdvancingTheSessionEpochOnTwoReplicasAtOnceOnlyEverGrowsItAndSetsTheHashAndVerification()
    {
        var user = NewUser("fay@example.io") with { SessionEpoch = 100 };
        await Store.TryAddAsync(user, CancellationToken.None);
        await using var otherReplica = await StorageServices.StartAsync(azurite.ConnectionString, _tablePrefix);

        var epochs = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            (i % 2 == 0 ? Store : otherReplica.Users).AdvanceSessionEpochAsync("Fay@Example.io", 50, null, markEmailVerified: false, CancellationToken.None)));

        // Each advance read the one before it: ten distinct epochs, 101 to 110, none lost to a concurrent write.
        Assert.Equal(Enumerable.Range(101, 10).Select(e => (long?)e), epochs.Order());
        Assert.Equal(
            user with { SessionEpoch = 111, PasswordHash = "pbkdf2_sha256$600000$new$hash=", EmailVerified = true },
            await AdvancedAsync(Store.AdvanceSessionEpochAsync("fay@example.io", 111, "pbkdf2_sha256$600000$new$hash=", markEmailVerified: true, CancellationToken.None)));
        Assert.Null(await Store.AdvanceSessionEpochAsync("nobody@example.io", 1, null, markEmailVerified: false, CancellationToken.None));
    }

    [Fact]
    public async Task DeletedAccountIsGoneAndItsEmailCanSignUpAgain()
    {
        await Store.TryAddAsync(NewUser("gus@example.io"), CancellationToken.None);

        Assert.True(await Store.DeleteAsync("GUS@example.io", CancellationToken.None));
        Assert.Null(await Store.FindAsync("gus@example.io", CancellationToken.None));
        Assert.False(await Store.DeleteAsync("gus@example.io", CancellationToken.None));
        Assert.True(await Store.TryAddAsync(NewUser("gus@example.io"), CancellationToken.None));
    }

    private async Task<User?> AdvancedAsync(Task<long?> advancing)
    {
        await advancing;
        return await Store.FindAsync("fay@example.io", CancellationToken.None);
    }

    private async Task<List<string>> EmailsAsync(int first, string? after) =>
        [.. (await Store.ListAsync(first, after, CancellationToken.None)).Select(user => user.Email)];

    private static User NewUser(string email) =>
        new(Guid.NewGuid().ToString("N"), email, "pbkdf2_sha256$600000$salt$hash=", Joined, null);
}
