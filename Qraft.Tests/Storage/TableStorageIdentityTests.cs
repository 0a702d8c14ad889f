using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Qraft.Tests.Infrastructure;
using Qraft.Users;

namespace Qraft.Tests.Storage;

/// <summary>
/// The managed-identity path (SPEC §4, README "Deploy to Azure"): <c>TableStorage</c> holds an endpoint URI and the app signs in
/// with a token credential, against Azurite over HTTPS with its OAuth check on. In Azure the credential is
/// DefaultAzureCredential; offline, a fake one issues tokens Azurite accepts.
/// </summary>
public sealed class TableStorageIdentityTests : IAsyncLifetime
{
    private LoopbackCertificate _certificate = null!;
    private AzuriteProcess _azurite = null!;

    public async Task InitializeAsync()
    {
        _certificate = LoopbackCertificate.Create();
        _azurite = await AzuriteProcess.StartNewAsync(_certificate);
    }

    public async Task DisposeAsync()
    {
        await _azurite.DisposeAsync();
        _certificate.Dispose();
    }

    [Fact]
    public async Task UsersAreAddedAndReadThroughAnEndpointUriAndATokenCredential()
    {
        var credential = new AzuriteTokenCredential();
        await using var storage = await StartStorageAsync(credential);
        var user = new User("id-1", "identity@example.com", "pbkdf2_sha256$1$salt$hash", DateTimeOffset.UnixEpoch, LastLogin: null);

        Assert.True(await storage.Users.TryAddAsync(user, CancellationToken.None));
        var found = await storage.Users.FindAsync("identity@example.com", CancellationToken.None);

        Assert.Equal(user, found);
        Assert.Contains("https://storage.azure.com/.default", credential.RequestedScopes);
        Assert.True(await storage.IsStorageReachableAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AzuriteRefusesATokenForAnotherAudienceSoTheTokenIsWhatGrantsAccess()
    {
        await using var storage = await StartStorageAsync(new AzuriteTokenCredential(audience: "https://vault.azure.net"));
        var user = new User("id-2", "refused@example.com", "pbkdf2_sha256$1$salt$hash", DateTimeOffset.UnixEpoch, LastLogin: null);

        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => storage.Users.TryAddAsync(user, CancellationToken.None));

        Assert.Equal(403, refused.Status);
    }

    [Fact]
    public async Task TheAppSignsUpAndLogsInWithStorageReachedThroughItsIdentity()
    {
        var credential = new AzuriteTokenCredential();
        var settings = QraftTestApp.SharedSettings(_azurite.TableEndpoint);
        await using var app = await QraftTestApp.StartAsync(settings, services: services => UseTestIdentity(services, credential));

        var (email, password) = await app.Client.SignUpAsync();
        var token = await app.Client.LoginAsync(email, password);

        Assert.NotEmpty(token);
        Assert.NotEmpty(credential.RequestedScopes);
    }

    private Task<StorageServices> StartStorageAsync(TokenCredential credential) =>
        StorageServices.StartAsync(
            _azurite.TableEndpoint,
            StorageServices.NewTablePrefix(),
            services: services => UseTestIdentity(services, credential));

    /// <summary>What differs from Azure: the credential, and a transport that trusts the test certificate.</summary>
    private void UseTestIdentity(IServiceCollection services, TokenCredential credential)
    {
        services.AddSingleton(credential);
        services.AddSingleton<HttpPipelineTransport>(_certificate.CreateTransport());
    }
}
