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
        var hasher = new DjangoPasswordHasher(Options.Create(new PasswordHashingOptions { PasswordIterations = 1 }), Pbkdf2Engine.Chosen);

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

    [Fact]
    public void AnyStringNormalizesWithoutThrowingAndAnAcceptedAddressKeepsItsShape()
    {
        Gen.OneOf(Gen.String, EmailLike, Gen.Char.Array[0, 400].Select(c => new string(c))).Sample(raw =>
        {
            if (!EmailAddress.TryNormalize(raw, out var email, out var error))
            {
                Assert.Equal(EmailAddress.InvalidMessage, error);
                return;
            }

            var at = email.IndexOf('@', StringComparison.Ordinal);
            Assert.InRange(email.Length, 3, 254);
            Assert.Equal(email.Trim(), email);
            Assert.Equal(at, email.LastIndexOf('@'));
            Assert.Equal(raw.Trim()[..at], email[..at]); // the local part is kept as typed, case included
            Assert.Equal(email[(at + 1)..].ToLowerInvariant(), email[(at + 1)..]);
        }, iter: 5_000);
    }

    [Fact]
    public void AddressesDifferingOnlyInCaseShareOneKey()
    {
        EmailLike.Sample(raw =>
        {
            if (EmailAddress.TryNormalize(raw, out var email, out _)
                && EmailAddress.TryNormalize(raw.ToUpperInvariant(), out var shouted, out _))
            {
                Assert.Equal(EmailAddress.Key(email), EmailAddress.Key(shouted));
            }
        }, iter: 2_000);
    }

    [Fact]
    public void AHashIsDjangosFormatAndItsPartsRecomputeIt()
    {
        const int Iterations = 3;
        var hasher = new DjangoPasswordHasher(Options.Create(new PasswordHashingOptions { PasswordIterations = Iterations }), Pbkdf2Engine.Chosen);

        Gen.OneOf(Gen.String, Gen.Char.Array[0, 64].Select(c => new string(c))).Sample(password =>
        {
            var encoded = hasher.Hash(password);

            // Parse: algorithm$iterations$salt$base64(dk); then re-derive dk from the parts as Django does.
            var parts = encoded.Split('$');
            Assert.Equal(4, parts.Length);
            Assert.Equal("pbkdf2_sha256", parts[0]);
            Assert.Equal(Iterations.ToString(System.Globalization.CultureInfo.InvariantCulture), parts[1]);
            Assert.Matches("^[A-Za-z0-9]{22}$", parts[2]);
            var derived = System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2(
                Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(parts[2]), Iterations, System.Security.Cryptography.HashAlgorithmName.SHA256, 32);
            Assert.Equal(Convert.ToBase64String(derived), parts[3]);
            Assert.Equal(encoded, string.Join('$', parts));
        }, iter: 300);
    }

    [Fact]
    public void ChangingAnyCharacterOfAHashMakesItsPasswordFail()
    {
        var hasher = new DjangoPasswordHasher(Options.Create(new PasswordHashingOptions { PasswordIterations = 2 }), Pbkdf2Engine.Chosen);
        const string Password = "correct horse battery";
        var encoded = hasher.Hash(Password);

        Gen.Select(Gen.Int[0, encoded.Length - 1], Gen.Char["$0123456789abcXYZ+/=_"]).Sample((position, replacement) =>
        {
            if (encoded[position] == replacement)
            {
                return;
            }

            var altered = encoded[..position] + replacement + encoded[(position + 1)..];
            Assert.Equal(PasswordCheck.Failed, hasher.Verify(Password, altered));
        }, iter: 1_000);
    }

    [Fact]
    public void AnyStoredStringIsReadWithoutThrowingAndNeverAcceptsAWrongPassword()
    {
        var hasher = new DjangoPasswordHasher(Options.Create(new PasswordHashingOptions { PasswordIterations = 1 }), Pbkdf2Engine.Chosen);
        var stored = Gen.OneOf(
            Gen.String,
            Gen.Select(Gen.OneOfConst("pbkdf2_sha256", "pbkdf2_sha1", "argon2", "bcrypt_sha256", "md5", ""), Gen.Int[-5, 2_000], Gen.String, Gen.String,
                (algorithm, iterations, salt, digest) => $"{algorithm}${iterations}${salt}${digest}"));

        stored.Sample(encoded => Assert.Equal(PasswordCheck.Failed, hasher.Verify("not the password", encoded)), iter: 1_000);
    }

    [Fact]
    public void ChangingAnyCharacterOfAValidTokenMakesItUnacceptable()
    {
        var tokens = Tokens();
        var token = tokens.Issue("o'hara+test@example.com").Token;

        Gen.Select(Gen.Int[0, token.Length - 1], Gen.Char["AaBbQw019-_.=+/ "]).Sample((position, replacement) =>
        {
            if (token[position] == replacement)
            {
                return;
            }

            Assert.NotEqual(TokenStatus.Valid, tokens.Read(token[..position] + replacement + token[(position + 1)..]).Status);
        }, iter: 2_000);
    }

    [Fact]
    public void RandomTextOfTheTokenAlphabetNeverReadsAsValid()
    {
        var tokens = Tokens();
        var segment = Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"].Array[0, 120].Select(c => new string(c));

        Gen.OneOf(Gen.String, Gen.Select(segment, segment, segment, (h, p, s) => $"eyJ{h}.eyJ{p}.{s}"))
            .Sample(text => Assert.NotEqual(TokenStatus.Valid, tokens.Read(text).Status), iter: 5_000);
    }

    private static JwtAccessTokens Tokens() =>
        JwtAccessTokensTests.HmacTokens(
            Options.Create(new JwtOptions
            {
                SigningKey = Key,
                AccessTokenLifetime = TimeSpan.FromMinutes(5),
            }),
            new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_795_520_994)));
}
