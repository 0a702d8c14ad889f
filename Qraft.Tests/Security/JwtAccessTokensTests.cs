using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Qraft.Security;

namespace Qraft.Tests.Security;

public sealed class JwtAccessTokensTests
{
    private const string Key = "qraft-test-signing-key-0123456789abcdef";
    private const string OldDjangoSecretKey = "django-insecure-3v#9k@x!q7m2$w8p^z5r&t1y(u4i)o6e0a-s=d+f_g";
    private const string OtherKey = "a-completely-different-key-of-32-bytes-or-more";
    private const long Now = 1_795_520_994;

    // Written with Python's json.dumps, hmac and base64 (PyJWT 1.x's layout) and checked with PyJWT 2.6's jwt.decode.
    private const string GoldenToken =
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJlbWFpbCI6ImFAYi5jbyIsImV4cCI6MTc5NTUyMTI5NCwib3JpZ0lhdCI6MTc5NTUyMDk5NH0.RvvL0jiPC8wqY4mtSU1bFb84dA92vsEw2hD5zmjjx4A";
    private const string GoldenTokenWithKid =
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiIsImtpZCI6IjIwMjYtMDEifQ.eyJlbWFpbCI6Im8nbmVpbCt4QGJcdTAwZmNjaGVyLmRlIiwiZXhwIjoxNzk1NTIxMjk0LCJvcmlnSWF0IjoxNzk1NTIwOTk0fQ.-DczPTAjtlP9jyzN3eDVJNrMNmgmrqYVjvg3SZ5LGEs";

    private const string Header = """{"typ":"JWT","alg":"HS256"}""";

    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(Now));

    private JwtAccessTokens Tokens(string? keyId = null, string signingKey = Key, Dictionary<string, string>? previousKeys = null) =>
        HmacTokens(
            Options.Create(new JwtOptions
            {
                SigningKey = signingKey,
                KeyId = keyId,
                PreviousKeys = previousKeys ?? [],
                AccessTokenLifetime = TimeSpan.FromMinutes(5),
            }),
            _time);

    [Fact]
    public void IssuedTokenIsByteForByteTheOriginalsFormat()
    {
        var issued = Tokens().Issue("a@b.co");

        Assert.Equal(GoldenToken, issued.Token);
        Assert.Equal(new AccessTokenPayload("a@b.co", Now + 300, Now), issued.Payload);
    }

    [Fact]
    public void HeaderAndPayloadJsonAreExactlyTheOriginals()
    {
        var segments = Tokens().Issue("a@b.co").Token.Split('.');

        Assert.Equal(Header, Decode(segments[0]));
        Assert.Equal("""{"email":"a@b.co","exp":1795521294,"origIat":1795520994}""", Decode(segments[1]));
    }

    [Fact]
    public void KeyIdGoesLastInTheHeaderAndNonAsciiIsEscapedAsPythonDoes()
    {
        var issued = Tokens(keyId: "2026-01").Issue("o'neil+x@bücher.de");
        var segments = issued.Token.Split('.');

        Assert.Equal(GoldenTokenWithKid, issued.Token);
        Assert.Equal("""{"typ":"JWT","alg":"HS256","kid":"2026-01"}""", Decode(segments[0]));
        Assert.Equal("""{"email":"o'neil+x@b\u00fccher.de","exp":1795521294,"origIat":1795520994}""", Decode(segments[1]));
    }

    [Fact]
    public void IssuedTokenReadsBackAsValidWithItsPayload()
    {
        var tokens = Tokens();
        var issued = tokens.Issue("Someone@example.org");

        Assert.Equal(new TokenReadResult(TokenStatus.Valid, issued.Payload), tokens.Read(issued.Token));
    }

    [Fact]
    public void TokenIsValidUntilTheSecondBeforeExpAndExpiredFromExp()
    {
        var tokens = Tokens();
        var issued = tokens.Issue("a@b.co");

        _time.Advance(TimeSpan.FromSeconds(299));
        Assert.Equal(TokenStatus.Valid, tokens.Read(issued.Token).Status);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new TokenReadResult(TokenStatus.Expired, issued.Payload), tokens.Read(issued.Token));
    }

    [Fact]
    public void ReissueKeepsOrigIatAndStartsAFreshLifetime()
    {
        var tokens = Tokens();
        var first = tokens.Issue("a@b.co");
        _time.Advance(TimeSpan.FromSeconds(200));

        var second = tokens.Reissue(first.Payload);

        Assert.Equal(new AccessTokenPayload("a@b.co", Now + 200 + 300, Now), second.Payload);
        Assert.Equal(TokenStatus.Valid, tokens.Read(second.Token).Status);
    }

    [Fact]
    public void ExpIsWholeSecondsEvenWhenTheClockIsNot()
    {
        _time.Advance(TimeSpan.FromMilliseconds(999));

        var payload = Tokens().Issue("a@b.co").Payload;

        Assert.Equal(Now, payload.OrigIat);
        Assert.Equal(Now + 300, payload.Exp);
    }

    public static TheoryData<string, string> Forgeries => new()
    {
        { "alg none, no signature", Unsigned("""{"typ":"JWT","alg":"none"}""", ValidPayload) + "." },
        { "alg none, real signature", Sign("""{"typ":"JWT","alg":"none"}""", ValidPayload, Key) },
        { "alg missing", Sign("""{"typ":"JWT"}""", ValidPayload, Key) },
        { "alg in lower case", Sign("""{"typ":"JWT","alg":"hs256"}""", ValidPayload, Key) },
        { "alg not a string", Sign("""{"typ":"JWT","alg":["HS256"]}""", ValidPayload, Key) },
        { "HS512 with the right key", Sign("""{"typ":"JWT","alg":"HS512"}""", ValidPayload, Key, HashAlgorithmName.SHA512) },
        { "HS256 header, HS512 signature", Sign(Header, ValidPayload, Key, HashAlgorithmName.SHA512) },
        { "wrong key", Sign(Header, ValidPayload, OtherKey) },
        { "empty key", Sign(Header, ValidPayload, "") },
        { "signature of another payload", Unsigned(Header, ValidPayload) + "." + Sign(Header, """{"email":"b@b.co","exp":1795521294,"origIat":1795520994}""", Key).Split('.')[2] },
        { "unknown kid, right key", Sign("""{"typ":"JWT","alg":"HS256","kid":"nope"}""", ValidPayload, Key) },
        { "kid not a string", Sign("""{"typ":"JWT","alg":"HS256","kid":1}""", ValidPayload, Key) },
        { "duplicate alg", Sign("""{"typ":"JWT","alg":"none","alg":"HS256"}""", ValidPayload, Key) },
        { "crit header", Sign("""{"typ":"JWT","alg":"HS256","crit":["exp"]}""", ValidPayload, Key) },
        { "header not an object", Sign("\"HS256\"", ValidPayload, Key) },
        { "header not JSON", Sign("{typ:JWT}", ValidPayload, Key) },
        { "payload not JSON", Sign(Header, "email=a@b.co", Key) },
        { "payload an array", Sign(Header, "[1795521294]", Key) },
        { "email missing", Sign(Header, """{"exp":1795521294,"origIat":1795520994}""", Key) },
        { "email empty", Sign(Header, """{"email":"","exp":1795521294,"origIat":1795520994}""", Key) },
        { "email a number", Sign(Header, """{"email":7,"exp":1795521294,"origIat":1795520994}""", Key) },
        { "exp missing", Sign(Header, """{"email":"a@b.co","origIat":1795520994}""", Key) },
        { "exp a string", Sign(Header, """{"email":"a@b.co","exp":"1795521294","origIat":1795520994}""", Key) },
        { "exp fractional", Sign(Header, """{"email":"a@b.co","exp":1795521294.5,"origIat":1795520994}""", Key) },
        { "origIat missing", Sign(Header, """{"email":"a@b.co","exp":1795521294}""", Key) },
        { "duplicate email", Sign(Header, """{"email":"a@b.co","email":"boss@b.co","exp":1795521294,"origIat":1795520994}""", Key) },
        { "nbf in the future", Sign(Header, """{"email":"a@b.co","exp":1795521294,"origIat":1795520994,"nbf":1795520995}""", Key) },
        { "nbf not a number", Sign(Header, """{"email":"a@b.co","exp":1795521294,"origIat":1795520994,"nbf":"0"}""", Key) },
        { "expired and wrong key", Sign(Header, """{"email":"a@b.co","exp":1,"origIat":1}""", OtherKey) },
        { "padding added", Sign(Header, ValidPayload, Key) + "=" },
        { "whitespace added", " " + Sign(Header, ValidPayload, Key) },
        { "two segments", Unsigned(Header, ValidPayload) },
        { "four segments", Sign(Header, ValidPayload, Key) + ".e30" },
        { "JWE-shaped", "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aGVsbG8.d29ybGQ.dGFn" },
        { "empty", "" },
        { "garbage", "not a token" },
        { "dots only", ".." },
        { "JWT prefix left on", "JWT " + Sign(Header, ValidPayload, Key) },
    };

    private const string ValidPayload = """{"email":"a@b.co","exp":1795521294,"origIat":1795520994}""";

    [Fact]
    public void ControlTokenBuiltLikeTheForgeriesIsValid()
    {
        // Shows the forgeries below fail for their defect, not because the test's token builder is wrong.
        Assert.Equal(TokenStatus.Valid, Tokens().Read(Sign(Header, ValidPayload, Key)).Status);
    }

    [Theory]
    [MemberData(nameof(Forgeries))]
    public void ForgedOrMalformedTokenIsInvalid(string defect, string token)
    {
        Assert.True(Tokens().Read(token) == TokenReadResult.Invalid, defect);
    }

    [Fact]
    public void FlippingAnySignatureCharacterMakesTheTokenInvalid()
    {
        var tokens = Tokens();
        var token = tokens.Issue("a@b.co").Token;
        var signatureStart = token.LastIndexOf('.') + 1;

        for (var index = signatureStart; index < token.Length; index++)
        {
            var flipped = token.ToCharArray();
            flipped[index] = flipped[index] == 'A' ? 'B' : 'A';
            Assert.Equal(TokenReadResult.Invalid, tokens.Read(new string(flipped)));
        }
    }

    [Fact]
    public void NbfInThePastIsAccepted()
    {
        var token = Sign(Header, """{"email":"a@b.co","exp":1795521294,"origIat":1795520994,"nbf":1795520994}""", Key);

        Assert.Equal(TokenStatus.Valid, Tokens().Read(token).Status);
    }

    [Fact]
    public void OriginalDeploymentsTokenWithoutKidVerifiesWithItsSecretKeyAsAPreviousKey()
    {
        var tokens = Tokens(keyId: "2026-01", previousKeys: new() { ["django"] = OldDjangoSecretKey });
        var original = Sign(Header, ValidPayload, OldDjangoSecretKey);

        Assert.Equal(
            new TokenReadResult(TokenStatus.Valid, new AccessTokenPayload("a@b.co", 1795521294, 1795520994)),
            tokens.Read(original));
    }

    [Fact]
    public void TokenNamingAPreviousKidVerifiesWithThatKeyOnly()
    {
        var tokens = Tokens(keyId: "2026-02", previousKeys: new() { ["2026-01"] = OldDjangoSecretKey });

        Assert.Equal(TokenStatus.Valid, tokens.Read(Sign(KidHeader("2026-01"), ValidPayload, OldDjangoSecretKey)).Status);
        Assert.Equal(TokenReadResult.Invalid, tokens.Read(Sign(KidHeader("2026-01"), ValidPayload, Key)));
        Assert.Equal(TokenReadResult.Invalid, tokens.Read(Sign(KidHeader("2026-02"), ValidPayload, OldDjangoSecretKey)));
    }

    [Fact]
    public void TokenFromTheCurrentKeyStillVerifiesAfterRotation()
    {
        var before = Tokens(keyId: "2026-01").Issue("a@b.co").Token;
        var afterRotation = Tokens(keyId: "2026-02", signingKey: OtherKey, previousKeys: new() { ["2026-01"] = Key });

        Assert.Equal(TokenStatus.Valid, afterRotation.Read(before).Status);
    }

    [Fact]
    public void TokenFromARemovedKeyIsInvalid()
    {
        var before = Tokens().Issue("a@b.co").Token;

        Assert.Equal(TokenReadResult.Invalid, Tokens(signingKey: OtherKey).Read(before));
    }

    [Fact]
    public void ExpiredTokenFromAPreviousKeyIsExpiredNotInvalid()
    {
        var tokens = Tokens(previousKeys: new() { ["django"] = OldDjangoSecretKey });
        var original = Sign(Header, """{"email":"a@b.co","exp":1600000300,"origIat":1600000000}""", OldDjangoSecretKey);

        Assert.Equal(
            new TokenReadResult(TokenStatus.Expired, new AccessTokenPayload("a@b.co", 1600000300, 1600000000)),
            tokens.Read(original));
    }

    private static string KidHeader(string kid) => $$"""{"typ":"JWT","alg":"HS256","kid":"{{kid}}"}""";

    private static string Unsigned(string header, string payload) =>
        $"{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header))}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}";

    private static string Sign(string header, string payload, string key) => Sign(header, payload, key, HashAlgorithmName.SHA256);

    private static string Sign(string header, string payload, string key, HashAlgorithmName algorithm)
    {
        var signingInput = Unsigned(header, payload);
        var signature = algorithm == HashAlgorithmName.SHA512
            ? HMACSHA512.HashData(Encoding.UTF8.GetBytes(key), Encoding.ASCII.GetBytes(signingInput))
            : HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.ASCII.GetBytes(signingInput));
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }

    private static string Decode(string segment) => Encoding.UTF8.GetString(Base64Url.DecodeFromChars(segment));

    /// <summary>HS256 mode: the asymmetric key ring is empty.</summary>
    internal static JwtAccessTokens HmacTokens(IOptions<JwtOptions> options, TimeProvider time) =>
        new(options, new AsymmetricJwtKeyRing(options), time);
}
