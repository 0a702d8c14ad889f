using System.Security.Cryptography;
using Qraft.Security;

namespace Qraft.Tests.Security;

/// <summary>Startup refuses unusable ES256/RS256 settings with a message naming the setting and never the key.</summary>
public sealed class JwtOptionsValidatorTests
{
    private static readonly string P256 = ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKeyPem();

    public static TheoryData<string, string?, string?, string> Invalid => new()
    {
        { "ES256", "k1", ECDsa.Create(ECCurve.NamedCurves.nistP384).ExportPkcs8PrivateKeyPem(), "P-256" },
        { "RS256", "k1", RSA.Create(1024).ExportPkcs8PrivateKeyPem(), "at least 2048 bits" },
        { "ES256", null, P256, "Jwt__KeyId is not set" },
        { "ES256", "k1", null, "Jwt__PrivateKey is not set" },
        { "ES256", "k1", ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportSubjectPublicKeyInfoPem(), "must be the private key" },
        { "RS256", "k1", P256, "not an RSA key" },
        { "ES256", "k1", RSA.Create(2048).ExportPkcs8PrivateKeyPem(), "not an EC P-256 key" },
        { "ES256", "k1", "@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/jwt)", "unresolved Key Vault reference" },
        { "HS384", "k1", P256, "Jwt__Algorithm must be" },
        { "HS256", "k1", P256, "used only with Jwt__Algorithm ES256 or RS256" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void UnusableAsymmetricSettingsFailWithAClearMessageThatHoldsNoKey(string algorithm, string? keyId, string? privateKey, string expected)
    {
        var result = new JwtOptionsValidator().Validate(null, Options(algorithm, keyId, privateKey));

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Es256WithoutAnHmacKeyIsValid()
    {
        var result = new JwtOptionsValidator().Validate(null, Options("ES256", "k1", P256));

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void APreviousPublicKeyUnderTheCurrentKidIsRefused()
    {
        var options = Options("ES256", "k1", P256);
        options.PreviousPublicKeys["k1"] = ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportSubjectPublicKeyInfoPem();

        var result = new JwtOptionsValidator().Validate(null, options);

        Assert.Contains("a kid must name exactly one key", result.FailureMessage, StringComparison.Ordinal);
    }

    private static JwtOptions Options(string algorithm, string? keyId, string? privateKey) => new()
    {
        Algorithm = algorithm,
        KeyId = keyId,
        PrivateKey = privateKey,
        SigningKey = algorithm == "HS256" ? "qraft-test-signing-key-0123456789abcdef" : null,
        AccessTokenLifetime = TimeSpan.FromMinutes(5),
    };
}
