using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Qraft.Security;
using Qraft.Security.Pbkdf2;

namespace Qraft.Tests.Security;

public sealed class SecurityRegistrationTests
{
    private const string Key = "qraft-test-signing-key-0123456789abcdef";

    private static IHost BuildHost(Dictionary<string, string?> settings, TimeProvider? time = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.AddQraftSecurity();
        return builder.Build();
    }

    [Fact]
    public async Task StartupFailsNamingJwtSigningKeyWhenItIsMissing()
    {
        using var host = BuildHost([]);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Jwt__SigningKey", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartupFailsNamingJwtSigningKeyWithoutPrintingAShortKey()
    {
        const string shortKey = "only-twenty-six-bytes-long";
        using var host = BuildHost(new() { ["Jwt:SigningKey"] = shortKey });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Jwt__SigningKey", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(shortKey, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartupRefusesAnUnresolvedKeyVaultReferenceAsTheSigningKey()
    {
        using var host = BuildHost(new()
        {
            ["Jwt:SigningKey"] = "@Microsoft.KeyVault(SecretUri=https://qraft-kv.vault.azure.net/secrets/Jwt--SigningKey/)",
        });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("unresolved Key Vault reference", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartupFailsOnAShortPreviousKeyNamingItsKid()
    {
        const string shortKey = "too-short";
        using var host = BuildHost(new() { ["Jwt:SigningKey"] = Key, ["Jwt:PreviousKeys:2025-12"] = shortKey });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Jwt__PreviousKeys__2025-12", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(shortKey, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartupFailsOnZeroPasswordIterations()
    {
        using var host = BuildHost(new() { ["Jwt:SigningKey"] = Key, ["Qraft:PasswordIterations"] = "0" });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Qraft__PasswordIterations", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DefaultsMatchTheSpecification()
    {
        using var host = BuildHost(new() { ["Jwt:SigningKey"] = Key });
        await host.StartAsync();

        var jwt = host.Services.GetRequiredService<IOptions<JwtOptions>>().Value;
        Assert.Equal(TimeSpan.FromMinutes(5), jwt.AccessTokenLifetime);
        Assert.Null(jwt.KeyId);
        Assert.Empty(jwt.PreviousKeys);
        Assert.Equal(600_000, host.Services.GetRequiredService<IOptions<PasswordHashingOptions>>().Value.PasswordIterations);
        Assert.Same(TimeProvider.System, host.Services.GetRequiredService<TimeProvider>());
        await host.StopAsync();
    }

    [Fact]
    public async Task StartupFailsNamingAnUnknownPasswordHashingEngine()
    {
        using var host = BuildHost(new() { ["Jwt:SigningKey"] = Key, ["Qraft:PasswordHashing:Engine"] = "fastest" });

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("Qraft:PasswordHashing:Engine", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("auto")]
    [InlineData("platform")]
    [InlineData("Platform")]
    public void TheEngineSettingDecidesWhichEngineHashes(string? setting)
    {
        using var host = BuildHost(new() { ["Jwt:SigningKey"] = Key, ["Qraft:PasswordHashing:Engine"] = setting });

        var engine = host.Services.GetRequiredService<IPbkdf2Sha256>();

        var expected = setting is null || setting == "auto" ? Pbkdf2Engines.Choose(Pbkdf2EngineMode.Auto).Engine.GetType() : typeof(PlatformPbkdf2Sha256);
        Assert.Equal(expected, engine.GetType());
        Assert.Same(engine, host.Services.GetRequiredService<Pbkdf2EngineChoice>().Engine);
    }

    [Fact]
    public void SettingsFlowFromConfigurationIntoTheServices()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_795_520_994));
        using var host = BuildHost(
            new()
            {
                ["Jwt:SigningKey"] = Key,
                ["Jwt:KeyId"] = "2026-01",
                ["Jwt:AccessTokenLifetime"] = "00:10:00",
                ["Qraft:PasswordIterations"] = "1000",
            },
            time);

        var issued = host.Services.GetRequiredService<IAccessTokens>().Issue("a@b.co");
        var hash = host.Services.GetRequiredService<IPasswordHasher>().Hash("correct horse");

        Assert.Equal(1_795_520_994 + 600, issued.Payload.Exp);
        Assert.StartsWith("eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiIsImtpZCI6IjIwMjYtMDEifQ.", issued.Token, StringComparison.Ordinal);
        Assert.StartsWith("pbkdf2_sha256$1000$", hash, StringComparison.Ordinal);
        Assert.Same(time, host.Services.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void PreviousKeyFromConfigurationVerifiesTokensItSigned()
    {
        const string oldKey = "django-insecure-3v#9k@x!q7m2$w8p^z5r&t1y(u4i)o6e0a-s=d+f_g";
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_795_520_994));
        using var oldHost = BuildHost(new() { ["Jwt:SigningKey"] = oldKey }, time);
        using var newHost = BuildHost(new() { ["Jwt:SigningKey"] = Key, ["Jwt:PreviousKeys:django"] = oldKey }, time);
        var oldToken = oldHost.Services.GetRequiredService<IAccessTokens>().Issue("a@b.co").Token;

        Assert.Equal(TokenStatus.Valid, newHost.Services.GetRequiredService<IAccessTokens>().Read(oldToken).Status);
    }

    [Fact]
    public void SecurityServicesAreSingletons()
    {
        using var host = BuildHost(new() { ["Jwt:SigningKey"] = Key });
        using var scope = host.Services.CreateScope();

        Assert.Same(host.Services.GetRequiredService<IPasswordHasher>(), scope.ServiceProvider.GetRequiredService<IPasswordHasher>());
        Assert.Same(host.Services.GetRequiredService<IPasswordPolicy>(), scope.ServiceProvider.GetRequiredService<IPasswordPolicy>());
        Assert.Same(host.Services.GetRequiredService<IAccessTokens>(), scope.ServiceProvider.GetRequiredService<IAccessTokens>());
    }
}
