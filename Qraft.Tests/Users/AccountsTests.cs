using System.Security.Cryptography;
using Qraft.Tests.Fakes;
using Qraft.Users;

namespace Qraft.Tests.Users;

/// <summary>
/// Unit tests of the account rules (<see cref="Accounts"/>) on in-memory stores; the same rules against Azurite and
/// through HTTP are covered by OriginalApiTests, LoginThrottlingApiTests and the Storage tests.
/// </summary>
public sealed class AccountsTests : IDisposable
{
    private const string Password = "correct horse battery";

    private readonly InMemoryAccounts _accounts = new();

    public void Dispose() => _accounts.Dispose();

    [Fact]
    public async Task SignUpStoresTheNormalizedEmailAHashOfThePasswordAndTheClockTime()
    {
        var result = await _accounts.Accounts.SignUpAsync("  Ann.Lee@Example.COM ", Password, CancellationToken.None);

        Assert.Equal(SignUpOutcome.Created, result.Outcome);
        var stored = await _accounts.Users.FindAsync("ann.lee@example.com", CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal("Ann.Lee@example.com", stored.Email);
        Assert.Equal(_accounts.Time.GetUtcNow(), stored.DateJoined);
        Assert.Null(stored.LastLogin);
        Assert.StartsWith($"pbkdf2_sha256${InMemoryAccounts.Iterations}$", stored.PasswordHash, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, stored.PasswordHash, StringComparison.Ordinal);
        Assert.Equal(1, _accounts.Metrics.SignUps.Value);
    }

    [Theory]
    [InlineData("not-an-email", SignUpOutcome.InvalidEmail, "Enter a valid email address.")]
    [InlineData("ann@example.com", SignUpOutcome.WeakPassword, "This password is too short. It must contain at least 8 characters.")]
    public async Task SignUpRefusesBadInputBeforeHashingOrStoring(string email, SignUpOutcome outcome, string problem)
    {
        var result = await _accounts.Accounts.SignUpAsync(email, outcome == SignUpOutcome.WeakPassword ? "x7" : Password, CancellationToken.None);

        Assert.Equal(outcome, result.Outcome);
        Assert.Contains(problem, result.Problems!);
        Assert.Equal(0, _accounts.Hashes);
        Assert.Empty(await _accounts.Users.ListAsync(10, null, CancellationToken.None));
    }

    [Fact]
    public async Task AnEmailDifferingOnlyInCaseIsTaken()
    {
        await _accounts.SignUpAsync("ann@example.com");

        var again = await _accounts.Accounts.SignUpAsync("ANN@EXAMPLE.com", Password, CancellationToken.None);

        Assert.Equal(SignUpOutcome.EmailTaken, again.Outcome);
        Assert.Single(await _accounts.Users.ListAsync(10, null, CancellationToken.None));
    }

    [Fact]
    public async Task ALoginRecordsItsTimeAndTouchesTheThrottleOnlyWhenThereIsACountToClear()
    {
        await _accounts.SignUpAsync("ann@example.com");
        _accounts.Time.Advance(TimeSpan.FromHours(1));

        var result = await LogInAsync("Ann@example.com", Password, "192.0.2.1");

        Assert.Equal(LoginOutcome.Succeeded, result.Outcome);
        Assert.Equal(_accounts.Time.GetUtcNow(), result.User!.LastLogin);
        Assert.Equal(("ann@example.com", _accounts.Time.GetUtcNow(), (string?)null), Assert.Single(_accounts.Users.Logins));
        Assert.Equal(0, _accounts.Throttle.Resets);

        await LogInAsync("ann@example.com", "wrong password", "192.0.2.1");
        await LogInAsync("ann@example.com", Password, "192.0.2.1");

        Assert.Equal(1, _accounts.Throttle.Resets);
        Assert.Equal(0, _accounts.Throttle.FailuresOf("ann@example.com"));
        Assert.Equal(1, _accounts.Throttle.FailuresFrom("192.0.2.1"));
    }

    [Theory]
    [InlineData("wrong password")]
    [InlineData(null)]
    public async Task AWrongPasswordAndAnUnknownEmailFailAlikeEachCostingOneHash(string? password)
    {
        await _accounts.SignUpAsync("ann@example.com");
        var before = _accounts.Hashes;
        var email = password is null ? "nobody@example.com" : "ann@example.com";

        var result = await LogInAsync(email, password ?? Password, "192.0.2.1");

        Assert.Equal(new LoginResult<string>(LoginOutcome.InvalidCredentials), result);
        Assert.Equal(before + 1, _accounts.Hashes);
        Assert.Equal(1, _accounts.Throttle.FailuresOf(email));
        Assert.Equal(1, _accounts.Throttle.FailuresFrom("192.0.2.1"));
        Assert.Empty(_accounts.Users.Logins);
    }

    [Fact]
    public async Task AThrottledAttemptIsRefusedWithoutAHashEvenWithTheRightPassword()
    {
        await _accounts.SignUpAsync("ann@example.com");
        for (var i = 0; i < 5; i++)
        {
            await LogInAsync("ann@example.com", "wrong password", null);
        }

        var before = _accounts.Hashes;

        var result = await LogInAsync("ann@example.com", Password, null);

        Assert.Equal(LoginOutcome.Throttled, result.Outcome);
        Assert.Equal(before, _accounts.Hashes);
        Assert.Equal(1, _accounts.Metrics.Throttled.Value);
        Assert.Empty(_accounts.Users.Logins);
    }

    [Fact]
    public async Task AnInactiveAccountDoesNotLogInWithItsRightPassword()
    {
        var user = await _accounts.SignUpAsync("ann@example.com");
        _accounts.Users.Put(user with { IsActive = false });

        var result = await LogInAsync("ann@example.com", Password, null);

        Assert.Equal(LoginOutcome.InvalidCredentials, result.Outcome);
        Assert.Empty(_accounts.Users.Logins);
    }

    [Fact]
    public async Task APasswordOverTheLengthLimitFailsWithoutBeingHashed()
    {
        await _accounts.SignUpAsync("ann@example.com");
        var before = _accounts.Hashes;

        var result = await LogInAsync("ann@example.com", new string('p', Accounts.MaxPasswordLength + 1), null);

        Assert.Equal(LoginOutcome.InvalidCredentials, result.Outcome);
        Assert.Equal(before, _accounts.Hashes);
    }

    [Fact]
    public async Task AHashWeakerThanConfiguredIsReplacedInTheSameWriteAsTheLogin()
    {
        // Django's format at half the configured iterations, as an imported account would carry it.
        var salt = "seasalt";
        var weak = $"pbkdf2_sha256$500${salt}${Convert.ToBase64String(Rfc2898DeriveBytes.Pbkdf2(Password, System.Text.Encoding.UTF8.GetBytes(salt), 500, HashAlgorithmName.SHA256, 32))}";
        _accounts.Users.Put(new User("1", "ann@example.com", weak, _accounts.Time.GetUtcNow(), null));

        var result = await LogInAsync("ann@example.com", Password, null);

        Assert.Equal(LoginOutcome.Succeeded, result.Outcome);
        var upgraded = Assert.Single(_accounts.Users.Logins).UpgradedHash;
        Assert.StartsWith($"pbkdf2_sha256${InMemoryAccounts.Iterations}$", upgraded, StringComparison.Ordinal);
        Assert.Equal(upgraded, result.User!.PasswordHash);
        Assert.Equal(LoginOutcome.Succeeded, (await LogInAsync("ann@example.com", Password, null)).Outcome);
        Assert.Null(_accounts.Users.Logins[1].UpgradedHash);
    }

    [Fact]
    public async Task FailuresForANameThatIsNoEmailAreCountedUnderTheTrimmedName()
    {
        var result = await LogInAsync("  not an email ", Password, null);

        Assert.Equal(LoginOutcome.InvalidCredentials, result.Outcome);
        Assert.Equal(1, _accounts.Throttle.FailuresOf("not an email"));
    }

    [Fact]
    public async Task OnlyASucceededLoginOpensASessionAndItSeesTheRecordedLogin()
    {
        var signedUp = await _accounts.SignUpAsync("ann@example.com");
        var opened = new List<User>();

        var failed = await _accounts.Accounts.LogInAsync("ann@example.com", "wrong password", null, Open, CancellationToken.None);
        var succeeded = await _accounts.Accounts.LogInAsync("ann@example.com", Password, null, Open, CancellationToken.None);

        Assert.Null(failed.Session);
        Assert.Equal("session of ann@example.com", succeeded.Session);
        Assert.Equal(_accounts.Time.GetUtcNow(), Assert.Single(opened).LastLogin);
        Assert.Equal(signedUp.SessionEpoch, opened[0].SessionEpoch);
        Assert.Single(_accounts.Users.Logins);

        Task<string> Open(User user, CancellationToken cancellationToken)
        {
            opened.Add(user);
            return Task.FromResult($"session of {user.Email}");
        }
    }

    [Fact]
    public async Task ASessionThatFailsToOpenFailsTheLoginAfterItsRecordIsWritten()
    {
        await _accounts.SignUpAsync("ann@example.com");

        await Assert.ThrowsAsync<InvalidOperationException>(() => _accounts.Accounts.LogInAsync<string>(
            "ann@example.com", Password, null, (_, _) => Task.FromException<string>(new InvalidOperationException("storage down")), CancellationToken.None));

        Assert.Single(_accounts.Users.Logins);
        Assert.Equal(0, _accounts.Metrics.Logins.WithLabels("ok").Value);
    }

    private Task<LoginResult<string>> LogInAsync(string email, string password, string? clientAddress) =>
        _accounts.Accounts.LogInAsync(email, password, clientAddress, (user, _) => Task.FromResult(user.Email), CancellationToken.None);
}
