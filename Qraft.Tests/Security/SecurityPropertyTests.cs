using System.Buffers.Text;
using System.Text;
using CsCheck;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Qraft.Security;

namespace Qraft.Tests.Security;

public sealed class SecurityPropertyTests
{
    private const string Key = "qraft-test-signing-key-0123456789abcdef";

    private static readonly Gen<string> EmailLike =
        Gen.Select(
            Gen.Char["abcXYZ019.+_'-"].Array[0, 12],
            Gen.Char["aZü-.Ä9"].Array[0, 12],
            Gen.OneOfConst("com", "DE", "io", "xn--p1ai", "123", ""),
            Gen.OneOfConst("", " ", "\t", "@", "\n"),
            (local, domain, tld, noise) => $"{noise}{new string(local)}@{new string(domain)}.{tld}{noise}");

    [Fact]
    public void AnyPasswordVerifiesAgainstItsOwnHashAndNoOther()
    {
        var hasher = new DjangoPasswordHasher(Options.Create(new PasswordHashingOptions { PasswordIterations = 1 }));

        Gen.String.Sample(password =>
        {
            var encoded = hasher.Hash(password);
            Assert.Equal(PasswordCheck.Succeeded, hasher.Verify(password, encoded));
            Assert.Equal(PasswordCheck.Failed, hasher.Verify(password + "x", encoded));
        });
    }

    [Fact]
    public void NormalizingANormalizedEmailChangesNothing()
    {
        var accepted = 0;
        EmailLike.Sample(raw =>
        {
            if (EmailAddress.TryNormalize(raw, out var once, out _))
            {
                Interlocked.Increment(ref accepted);
                Assert.True(EmailAddress.TryNormalize(once, out var twice, out _));
                Assert.Equal(once, twice);
                Assert.Equal(EmailAddress.Key(once), EmailAddress.Key(twice));
            }
        }, iter: 2_000);

        // Guards the property against a generator that never produces a valid address.
        Assert.True(accepted > 100, $"only {accepted} generated addresses were valid");
    }

    [Fact]
    public void RandomBytesNeverReadAsAValidToken()
    {
        var tokens = Tokens();

        Gen.Byte.Array[0, 300].Sample(bytes =>
            Assert.NotEqual(TokenStatus.Valid, tokens.Read(Encoding.Latin1.GetString(bytes)).Status));
    }

    [Fact]
    public void RandomlySignedWellFormedTokensNeverReadAsValid()
    {
        var tokens = Tokens();
        var validPayload = Base64Url.EncodeToString("""{"email":"a@b.co","exp":1795521294,"origIat":1795520994}"""u8);
        var header = Base64Url.EncodeToString("""{"typ":"JWT","alg":"HS256"}"""u8);

        Gen.Select(Gen.Byte.Array[0, 64], Gen.Byte.Array[32]).Sample((garbage, signature) =>
        {
            Assert.NotEqual(TokenStatus.Valid, tokens.Read($"{header}.{validPayload}.{Base64Url.EncodeToString(signature)}").Status);
            Assert.NotEqual(TokenStatus.Valid, tokens.Read($"{Base64Url.EncodeToString(garbage)}.{validPayload}.{Base64Url.EncodeToString(signature)}").Status);
        });
    }

    private static JwtAccessTokens Tokens() =>
        new(
            Options.Create(new JwtOptions
            {
                SigningKey = Key,
                AccessTokenLifetime = TimeSpan.FromMinutes(5),
                RefreshTokenLifetime = TimeSpan.FromDays(7),
            }),
            new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_795_520_994)));
}
