using Microsoft.Extensions.Time.Testing;
using Qraft.Security;
using Qraft.Tests.Infrastructure;

namespace Qraft.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class TableEmailTokensTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2022, 2, 11, 4, 22, 55, TimeSpan.Zero));
    private StorageServices? _services;

    private IEmailTokens Tokens => _services!.EmailTokens;

    public async Task InitializeAsync() =>
        _services = await StorageServices.StartAsync(azurite.ConnectionString, StorageServices.NewTablePrefix(), _time);

    public async Task DisposeAsync() => await _services!.DisposeAsync();

    [Fact]
    public async Task DeletingAnAccountsLinksTakesEveryPurposeAndNoOtherAccounts()
    {
        var reset = await Tokens.IssueAsync(EmailTokenPurpose.PasswordReset, "ida@example.io", TimeSpan.FromMinutes(30), CancellationToken.None);
        var verify = await Tokens.IssueAsync(EmailTokenPurpose.EmailVerification, "ida@example.io", TimeSpan.FromHours(24), CancellationToken.None);
        var other = await Tokens.IssueAsync(EmailTokenPurpose.PasswordReset, "jon@example.io", TimeSpan.FromMinutes(30), CancellationToken.None);

        Assert.Equal(2, await Tokens.DeleteAllAsync("ida@example.io", CancellationToken.None));

        Assert.Equal(EmailTokenStatus.Invalid, (await Tokens.ConsumeAsync(EmailTokenPurpose.PasswordReset, reset, CancellationToken.None)).Status);
        Assert.Equal(EmailTokenStatus.Invalid, (await Tokens.ConsumeAsync(EmailTokenPurpose.EmailVerification, verify, CancellationToken.None)).Status);
        Assert.Equal(
            new EmailTokenResult(EmailTokenStatus.Consumed, "jon@example.io"),
            await Tokens.ConsumeAsync(EmailTokenPurpose.PasswordReset, other, CancellationToken.None));
    }
}
