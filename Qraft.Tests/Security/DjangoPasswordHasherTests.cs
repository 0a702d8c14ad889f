using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Qraft.Security;
using Qraft.Security.Pbkdf2;

namespace Qraft.Tests.Security;

/// <summary>
/// Vectors marked "Django" come from Django's test suite or were produced by Debian's Django 3.2.25
/// (<c>make_password</c>, argon2-cffi 21.1, bcrypt 3.2) on this kind of machine; none were made by this code.
/// </summary>
public sealed partial class DjangoPasswordHasherTests
{
    private const string DjangoPassword = "lètmein";

    // Django 3.2.25 make_password('S3cure-Passw0rd!', 'uzRMRmBQ3kdP0dg3BwChhu'): 22-character salt, 3.2's 260000 iterations.
    private const string Django32Hash = "pbkdf2_sha256$260000$uzRMRmBQ3kdP0dg3BwChhu$x+rdilnGUH9acZ3xD+mDlXYzgZo0hKY57I7BTd7wwPk=";

    public static TheoryData<string> Engines => Pbkdf2Engine.Names;

    private static DjangoPasswordHasher Hasher(int iterations, IPbkdf2Sha256? engine = null) =>
        new(Options.Create(new PasswordHashingOptions { PasswordIterations = iterations }), engine ?? Pbkdf2Engine.Chosen);

    [Theory]
    [InlineData("lètmein", "pbkdf2_sha256$260000$seasalt$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo=")]
    [InlineData("lètmein", "pbkdf2_sha256$260000$seasalt2$UCGMhrOoaq1ghQPArIBK5RkI6IZLRxlIwHWA1dMy7y8=")]
    [InlineData("lètmein", "pbkdf2_sha256$30000$seasalt$VrX+V8drCGo68wlvy6rfu8i1d1pfkdeXA4LJkRGJodY=")]
    [InlineData("lètmein", "pbkdf2_sha256$1200000$seasalt$6sTlFi4QohxXLuZigqDIUNX8xG9NxrTmV8+flFQdBqE=")]
    [InlineData("", "pbkdf2_sha256$260000$seasalt$O2fWBq/Tb/xsu7DZ1jOnLmAmQVccDI4DuGtVaRvu24s=")]
    [InlineData("lètmein", "pbkdf2_sha1$260000$seasalt2$wAibXvW6jgvatCdONi6SMJ6q7mI=")]
    public void DjangoTestSuiteVectorsVerifyAndAskForAnUpgrade(string password, string encoded)
    {
        // Seven-character test salts are below Django's 128-bit salt entropy, so even a matching iteration count needs a rehash.
        Assert.Equal(PasswordCheck.SucceededNeedsRehash, Hasher(260_000).Verify(password, encoded));
    }

    [Theory]
    [InlineData("pbkdf2_sha256$260000$seasalt$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo=")]
    [InlineData("pbkdf2_sha256$30000$seasalt$VrX+V8drCGo68wlvy6rfu8i1d1pfkdeXA4LJkRGJodY=")]
    [InlineData("pbkdf2_sha1$260000$seasalt2$wAibXvW6jgvatCdONi6SMJ6q7mI=")]
    public void DjangoVectorsRejectAWrongPassword(string encoded)
    {
        Assert.Equal(PasswordCheck.Failed, Hasher(260_000).Verify("lètmeiN", encoded));
        Assert.Equal(PasswordCheck.Failed, Hasher(260_000).Verify("", encoded));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void EveryEngineVerifiesDjangosHashesAndMakesTheSameBytes(string engine)
    {
        var hasher = Hasher(260_000, Pbkdf2Engine.Named(engine));

        Assert.Equal(PasswordCheck.Succeeded, hasher.Verify("S3cure-Passw0rd!", Django32Hash));
        Assert.Equal(PasswordCheck.Failed, hasher.Verify("S3cure-Passw0rd?", Django32Hash));
        Assert.Equal(PasswordCheck.SucceededNeedsRehash, hasher.Verify("lètmein", "pbkdf2_sha256$30000$seasalt$VrX+V8drCGo68wlvy6rfu8i1d1pfkdeXA4LJkRGJodY="));

        // A new hash from this engine, taken apart and recomputed by the platform, is the same string.
        var encoded = Hasher(1_000, Pbkdf2Engine.Named(engine)).Hash(DjangoPassword);
        var salt = encoded.Split('$')[2];
        var expected = Rfc2898DeriveBytes.Pbkdf2(DjangoPassword, Encoding.UTF8.GetBytes(salt), 1_000, HashAlgorithmName.SHA256, 32);
        Assert.Equal($"pbkdf2_sha256$1000${salt}${Convert.ToBase64String(expected)}", encoded);
    }

    [Fact]
    public void Django32HashWithFullSaltAndConfiguredIterationsNeedsNoRehash()
    {
        Assert.Equal(PasswordCheck.Succeeded, Hasher(260_000).Verify("S3cure-Passw0rd!", Django32Hash));
    }

    [Fact]
    public void Django32HashNeedsRehashWhenMoreIterationsAreConfigured()
    {
        Assert.Equal(PasswordCheck.SucceededNeedsRehash, Hasher(600_000).Verify("S3cure-Passw0rd!", Django32Hash));
    }

    [Fact]
    public void HashWithMoreIterationsThanConfiguredAlsoNeedsRehash()
    {
        var encoded = Hasher(2_000).Hash("correct horse");

        Assert.Equal(PasswordCheck.SucceededNeedsRehash, Hasher(1_000).Verify("correct horse", encoded));
    }

    [Theory]
    [InlineData(12, PasswordCheck.SucceededNeedsRehash)] // Django < 3.2's salt length
    [InlineData(21, PasswordCheck.SucceededNeedsRehash)] // 21 × log2(62) ≈ 125 bits
    [InlineData(22, PasswordCheck.Succeeded)] // 22 × log2(62) ≈ 131 bits
    public void SaltShorterThan128BitsNeedsRehash(int saltLength, PasswordCheck expected)
    {
        var salt = new string('a', saltLength);
        var derived = Rfc2898DeriveBytes.Pbkdf2("secret"u8, Encoding.UTF8.GetBytes(salt), 1_000, HashAlgorithmName.SHA256, 32);
        var encoded = $"pbkdf2_sha256$1000${salt}${Convert.ToBase64String(derived)}";

        Assert.Equal(expected, Hasher(1_000).Verify("secret", encoded));
    }

    [Theory]
    [InlineData("argon2$argon2id$v=19$m=102400,t=2,p=8$c2Vhc2FsdDI$YYnWPM/sLJvQOqAlXPOi+Q")] // Django 3.2 defaults
    [InlineData("argon2$argon2i$v=19$m=512,t=2,p=2$c2Vhc2FsdDI$vwe0XDi/QsYQhfhuGNIf7g")] // Django 1.10–3.1 defaults
    [InlineData("argon2$argon2id$v=19$m=1024,t=1,p=1$dXpSTVJtQlEza2RQMGRnM0J3Q2hodQ$62j10BnCL4A1yyJ5OTaKjQ")]
    public void DjangoArgon2HashesVerifyAndAskForAnUpgrade(string encoded)
    {
        var hasher = Hasher(1_000);

        Assert.Equal(PasswordCheck.SucceededNeedsRehash, hasher.Verify(DjangoPassword, encoded));
        Assert.Equal(PasswordCheck.Failed, hasher.Verify("lètmeiN", encoded));
    }

    [Fact]
    public void DjangoBCryptSha256HashVerifiesAndAsksForAnUpgrade()
    {
        const string encoded = "bcrypt_sha256$$2b$12$3kZ1NmS.W02GRqh/yde0geVEROt7ZE1TC8MIejm9dAiuDySt59Rqm";
        var hasher = Hasher(1_000);

        Assert.Equal(PasswordCheck.SucceededNeedsRehash, hasher.Verify(DjangoPassword, encoded));
        Assert.Equal(PasswordCheck.Failed, hasher.Verify("lètmeiN", encoded));
    }

    [Fact]
    public void BCryptSha256DoesNotTruncateAt72Bytes()
    {
        // Django: make_password('x' * 100, hasher='bcrypt_sha256').
        const string encoded = "bcrypt_sha256$$2b$12$r8am3sNMC2d0aXriyV6Z2OSafTN4L8b.1nDB1kTDGFrbaPIkZzYdi";
        var hasher = Hasher(1_000);

        Assert.Equal(PasswordCheck.SucceededNeedsRehash, hasher.Verify(new string('x', 100), encoded));
        Assert.Equal(PasswordCheck.Failed, hasher.Verify(new string('x', 72), encoded));
    }

    [Fact]
    public void NewHashHasDjangoShapeWithConfiguredIterations()
    {
        var encoded = Hasher(1_234).Hash("correct horse");

        Assert.Matches(DjangoPbkdf2Shape(), encoded);
        Assert.StartsWith("pbkdf2_sha256$1234$", encoded, StringComparison.Ordinal);
    }

    [Fact]
    public void NewHashIsTheDjangoEncodingOfItsOwnSalt()
    {
        var encoded = Hasher(1_000).Hash(DjangoPassword);
        var salt = encoded.Split('$')[2];
        var expected = Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes(DjangoPassword), Encoding.UTF8.GetBytes(salt), 1_000, HashAlgorithmName.SHA256, 32);

        Assert.Equal($"pbkdf2_sha256$1000${salt}${Convert.ToBase64String(expected)}", encoded);
    }

    [Fact]
    public void SamePasswordGetsADifferentSaltEachTime()
    {
        var hasher = Hasher(1_000);

        Assert.NotEqual(hasher.Hash("correct horse"), hasher.Hash("correct horse"));
    }

    [Fact]
    public void NewHashVerifiesWithoutRehashAndRejectsOtherPasswords()
    {
        var hasher = Hasher(1_000);
        var encoded = hasher.Hash("correct horse");

        Assert.Equal(PasswordCheck.Succeeded, hasher.Verify("correct horse", encoded));
        Assert.Equal(PasswordCheck.Failed, hasher.Verify("correct horse ", encoded));
        Assert.Equal(PasswordCheck.Failed, hasher.Verify("Correct horse", encoded));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("!Wv3FA5ZnyNHPGnnqEmxkNbTgmcfSibaUcyCTVVTM")] // Django's make_password(None)
    [InlineData("md5$seasalt$f5531bef9f3687d0ccf0f617f0e25573")] // a Django hasher we do not carry
    [InlineData("scrypt$16384$seasalt$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NYafTJ7tibgfYz71m0ldQESkXFRkdVCBhhY8mx7rQwite/Pw==")]
    [InlineData("pbkdf2_sha256")]
    [InlineData("argon2")]
    [InlineData("bcrypt_sha256")]
    [InlineData("bcrypt_sha256$")]
    [InlineData("pbkdf2_sha256$$seasalt$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo=")]
    [InlineData("pbkdf2_sha256$-1$seasalt$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo=")]
    [InlineData("pbkdf2_sha256$ 260000$seasalt$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo=")]
    [InlineData("pbkdf2_sha256$260000$$YlZ2Vggtqdc61YjArZuoApoBh9JNGYoDRBUGu6tcJQo=")]
    [InlineData("argon2$argon2id$m=1024,t=1,p=1$dXpSTVJtQlEza2RQMGRnM0J3Q2hodQ$62j10BnCL4A1yyJ5OTaKjQ")]
    [InlineData("argon2$argon2id$v=16$m=1024,t=1,p=1$dXpSTVJtQlEza2RQMGRnM0J3Q2hodQ$62j10BnCL4A1yyJ5OTaKjQ")]
    [InlineData("argon2$argon2x$v=19$m=1024,t=1,p=1$dXpSTVJtQlEza2RQMGRnM0J3Q2hodQ$62j10BnCL4A1yyJ5OTaKjQ")]
    [InlineData("argon2$argon2id$v=19$t=1,m=1024,p=1$dXpSTVJtQlEza2RQMGRnM0J3Q2hodQ$62j10BnCL4A1yyJ5OTaKjQ")]
    [InlineData("argon2$argon2id$v=19$m=1024,t=1,p=1$d$62j10BnCL4A1yyJ5OTaKjQ")]
    [InlineData("bcrypt_sha256$$2b$12$3kZ1NmS.W02GRqh/yde0geVEROt7ZE1TC8MIejm9dAiuDySt59Rq")]
    [InlineData("bcrypt_sha256$$2b$03$3kZ1NmS.W02GRqh/yde0geVEROt7ZE1TC8MIejm9dAiuDySt59Rqm")]
    [InlineData("bcrypt$$2b$12$3kZ1NmS.W02GRqh/yde0geVEROt7ZE1TC8MIejm9dAiuDySt59Rqm")]
    public void UnusableOrUnreadableHashFailsForEveryPassword(string? encoded)
    {
        var hasher = Hasher(1_000);

        Assert.Equal(PasswordCheck.Failed, hasher.Verify(DjangoPassword, encoded));
        Assert.Equal(PasswordCheck.Failed, hasher.Verify("", encoded));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("!Wv3FA5ZnyNHPGnnqEmxkNbTgmcfSibaUcyCTVVTM")]
    [InlineData("md5$seasalt$f5531bef9f3687d0ccf0f617f0e25573")]
    public void UnreadableHashStillRunsPbkdf2AtTheConfiguredCost(string? encoded)
    {
        // The options validator forbids 0 iterations; here it makes the equalising PBKDF2 call observable
        // without measuring time: Rfc2898DeriveBytes refuses to run 0 iterations.
        Assert.Throws<ArgumentOutOfRangeException>(() => Hasher(0).Verify(DjangoPassword, encoded));
    }

    [Theory]
    [InlineData(GuardVectors.Pbkdf2TenMillionAndOne)]
    [InlineData(GuardVectors.Argon2AboveMemoryCeiling)]
    [InlineData(GuardVectors.BCryptCost17)]
    public void CorrectPasswordAgainstAbsurdStoredCostIsRefusedWithoutComputingIt(string encoded)
    {
        // Each vector is the right hash of the right password, so only the ceiling can make this Failed.
        Assert.Equal(PasswordCheck.Failed, Hasher(1_000).Verify(DjangoPassword, encoded));
    }

    [Fact]
    public void CheapestAcceptedBCryptCostStillVerifies()
    {
        Assert.Equal(PasswordCheck.SucceededNeedsRehash, Hasher(1_000).Verify(DjangoPassword, GuardVectors.BCryptCost4));
    }

    [GeneratedRegex(@"^pbkdf2_sha256\$[0-9]+\$[A-Za-z0-9]{22}\$[A-Za-z0-9+/]{43}=\z")]
    private static partial Regex DjangoPbkdf2Shape();

    /// <summary>Made with Python hashlib, argon2-cffi and bcrypt; password <c>lètmein</c>.</summary>
    private static class GuardVectors
    {
        public const string Pbkdf2TenMillionAndOne = "pbkdf2_sha256$10000001$uzRMRmBQ3kdP0dg3BwChhu$LnS/VP9TPIzzql2HwJYCKgvLmwdKTIJd2D7fLRlugY4=";
        public const string Argon2AboveMemoryCeiling = "argon2$argon2id$v=19$m=262145,t=1,p=1$dXpSTVJtQlEza2RQMGRnM0J3Q2hodQ$mRwsAne4hTRvRQSAfKuHJQ";
        public const string BCryptCost17 = "bcrypt_sha256$$2b$17$YYQozqbbLoy5cYQ4uemcB.4b1GX7DV4PGxCBIIY2J35g1FbGtDjeK";
        public const string BCryptCost4 = "bcrypt_sha256$$2b$04$TxQTsGSbujQh15c1coCQueStQXL9CrwuD4hdeykMBSkpxSlHGl8EG";
    }
}
