using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Qraft.Security;
using Qraft.Storage;

namespace Qraft.Tests.Storage;

public sealed class TableStorageOptionsTests
{
    private const string Account = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;";

    [Theory]
    [InlineData(null, null, TableStorageOptions.DevelopmentConnectionString)]
    [InlineData(null, Account + "fallback=1", Account + "fallback=1")]
    [InlineData(Account, Account + "fallback=1", Account)]
    [InlineData(" ", Account, Account)]
    public void ConnectionStringComesFromTableStorageThenAzureWebJobsStorage(string? tableStorage, string? webJobsStorage, string expected)
    {
        using var host = BuildHost(new()
        {
            [TableStorageOptions.ConnectionSetting] = tableStorage,
            [TableStorageOptions.FallbackConnectionSetting] = webJobsStorage,
        });

        Assert.Equal(expected, host.Services.GetRequiredService<IOptions<TableStorageOptions>>().Value.ConnectionString);
    }

    [Theory]
    [InlineData("https://qraftabc123.table.core.windows.net/")]
    [InlineData("http://127.0.0.1:10002/devstoreaccount1")]
    public async Task AnEndpointUriIsAcceptedAsIsForTheManagedIdentityPath(string endpoint)
    {
        using var host = BuildHost(new() { [TableStorageOptions.ConnectionSetting] = endpoint });

        await host.StartAsync();

        Assert.Equal(endpoint, host.Services.GetRequiredService<IOptions<TableStorageOptions>>().Value.ConnectionString);
        await host.StopAsync();
    }

    [Fact]
    public void RefreshTokensLastSevenDaysUnlessConfigured()
    {
        using var defaults = BuildHost([]);
        using var configured = BuildHost(new() { ["Jwt:RefreshTokenLifetime"] = "01:00:00" });

        Assert.Equal(TimeSpan.FromDays(7), defaults.Services.GetRequiredService<IOptions<RefreshTokenOptions>>().Value.RefreshTokenLifetime);
        Assert.Equal(TimeSpan.FromHours(1), configured.Services.GetRequiredService<IOptions<RefreshTokenOptions>>().Value.RefreshTokenLifetime);
    }

    [Theory]
    [InlineData(TableStorageOptions.ConnectionSetting, "not a connection string")]
    [InlineData(TableStorageOptions.ConnectionSetting, "ftp://storage.example.com/")]
    [InlineData("Qraft:Storage:TablePrefix", "1starts-with-a-digit")]
    [InlineData("Qraft:Throttle:MaxFailuresPerAccount", "0")]
    [InlineData("Jwt:RefreshTokenLifetime", "-1.00:00:00")]
    public async Task InvalidSettingsFailStartupNamingTheSetting(string key, string value)
    {
        using var host = BuildHost(new() { [key] = value });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        var settingName = key.Split(':')[^1];
        Assert.Contains(settingName, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, failure.Message, StringComparison.Ordinal);
    }

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddQraftStorage();
        return builder.Build();
    }
}
