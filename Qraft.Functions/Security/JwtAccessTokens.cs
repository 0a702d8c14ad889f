using System.Buffers;
using System.Buffers.Text;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.Options;

namespace Qraft.Security;

/// <summary>
/// HS256 access tokens byte-for-byte as django-graphql-jwt (on PyJWT 1.x) wrote them, or, with <c>Jwt__Algorithm</c>
/// ES256/RS256, the same payload signed with the key ring's private key.
/// </summary>
/// <remarks>
/// The compact JWS is written and checked here rather than by <c>JsonWebTokenHandler</c>. The handler always writes
/// <c>alg</c> before <c>typ</c>, while the original's header is <c>{"typ":"JWT","alg":"HS256"}</c>; and
/// <see cref="IAccessTokens.Read"/> is synchronous, while the handler offers only <c>ValidateTokenAsync</c> and an
/// obsolete sync-over-async <c>ValidateToken</c>. The checks are the ones the handler would be configured with:
/// HS256 only, constant-time signature comparison, <c>exp</c> required with no clock skew, <c>nbf</c> honoured,
/// no issuer or audience. Each <c>kid</c> names one key of one algorithm, and a token verifies only with the key its
/// <c>kid</c> names and only if its <c>alg</c> is that key's: so <c>none</c>, HS256 "signed" with a published public key
/// and unknown kids all fail. Tokens without a <c>kid</c> can only be HS256 (the original's).
/// </remarks>
internal sealed class JwtAccessTokens(IOptions<JwtOptions> options, AsymmetricJwtKeyRing asymmetricKeys, TimeProvider time) : IAccessTokens
{

    // Ours are about 200 characters; anything far longer is not worth parsing.
    private const int MaxTokenLength = 4096;

    /// <summary>Base64url of an RSA-4096 signature (512 bytes) is 683 characters; a longer one is not ours.</summary>
    private const int MaxSignatureLength = 700;

    /// <summary>Signing inputs up to this many bytes are encoded on the stack; ours are about 160.</summary>
    private const int StackLimit = 1024;

    private static readonly SearchValues<char> TokenCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");

    private readonly long _lifetimeSeconds = (long)options.Value.AccessTokenLifetime.TotalSeconds;
    private readonly byte[] _signingKey = Encoding.UTF8.GetBytes(options.Value.SigningKey ?? "");
    private readonly string _encodedHeader = EncodeHeader(options.Value.Algorithm, NullIfEmpty(options.Value.KeyId));
    private readonly FrozenDictionary<string, byte[]> _keysById = KeysById(options.Value);
    private readonly byte[][] _keysForTokensWithoutId = KeysForTokensWithoutId(options.Value);

    public IssuedAccessToken Issue(string email)
    {
        ArgumentException.ThrowIfNullOrEmpty(email);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        return Sign(new AccessTokenPayload(email, now + _lifetimeSeconds, now));
    }

    public IssuedAccessToken Reissue(AccessTokenPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return Sign(payload with { Exp = time.GetUtcNow().ToUnixTimeSeconds() + _lifetimeSeconds });
    }

    /// <remarks>
    /// Runs on every authenticated request, so the token is read in place: its segments are slices, and the expected
    /// signature is computed and compared on the stack. Only the two decoded JSON segments are allocated.
    /// </remarks>
    public TokenReadResult Read(string token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength || token.AsSpan().ContainsAnyExcept(TokenCharacters))
        {
            return TokenReadResult.Invalid;
        }

        var text = token.AsSpan();
        var headerEnd = text.IndexOf('.');
        var payloadLength = headerEnd < 0 ? -1 : text[(headerEnd + 1)..].IndexOf('.');
        if (payloadLength < 0)
        {
            return TokenReadResult.Invalid;
        }

        var signingInput = text[..(headerEnd + 1 + payloadLength)];
        var signature = text[(signingInput.Length + 1)..];
        if (signature.Contains('.')
            || DecodeSegment(text[..headerEnd]) is not { } header
            || DecodeSegment(text.Slice(headerEnd + 1, payloadLength)) is not { } payloadJson
            || !TryReadHeader(header, out var algorithm, out var keyId))
        {
            return TokenReadResult.Invalid;
        }

        if (!IsSigned(algorithm, keyId, signingInput, signature) || !TryReadPayload(payloadJson, out var payload, out var notBefore))
        {
            return TokenReadResult.Invalid;
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if (notBefore > now)
        {
            return TokenReadResult.Invalid;
        }

        // PyJWT's rule: a token is expired from the second its exp names.
        return new TokenReadResult(now >= payload.Exp ? TokenStatus.Expired : TokenStatus.Valid, payload);
    }

    private bool IsSigned(string algorithm, string? keyId, ReadOnlySpan<char> signingInput, ReadOnlySpan<char> signature)
    {
        if (algorithm != JwtAlgorithms.HS256)
        {
            return keyId is not null
                && asymmetricKeys.TryGet(keyId, out var key)
                && key.Algorithm == algorithm
                && IsSignedBy(key, signingInput, signature);
        }

        byte[][] candidates = keyId is null ? _keysForTokensWithoutId
            : _keysById.TryGetValue(keyId, out var hmacKey) ? [hmacKey]
            : [];
        return IsSignedByAny(candidates, signingInput, signature);
    }

    private static bool IsSignedBy(AsymmetricJwtKey key, ReadOnlySpan<char> signingInput, ReadOnlySpan<char> signature)
    {
        if (signature.Length > MaxSignatureLength || !Base64Url.IsValid(signature))
        {
            return false;
        }

        Span<byte> signatureBytes = stackalloc byte[Base64Url.GetMaxDecodedLength(signature.Length)];
        var input = new byte[signingInput.Length];
        Encoding.ASCII.GetBytes(signingInput, input);
        return Base64Url.TryDecodeFromChars(signature, signatureBytes, out var written) && key.Verify(input, signatureBytes[..written]);
    }

    private IssuedAccessToken Sign(AccessTokenPayload payload)
    {
        var json = string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"email\":{PythonJsonString(payload.Email)},\"exp\":{payload.Exp},\"origIat\":{payload.OrigIat}}}");
        var signingInput = $"{_encodedHeader}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json))}";
        var input = Encoding.ASCII.GetBytes(signingInput);
        var signature = asymmetricKeys.Current is { } key
            ? Encoding.ASCII.GetBytes(Base64Url.EncodeToString(key.Sign(input)))
            : Signature(_signingKey, input);
        return new IssuedAccessToken($"{signingInput}.{Encoding.ASCII.GetString(signature)}", payload);
    }

    /// <summary>The base64url text of the HMAC, compared as text so that only the canonical encoding matches.</summary>
    private static byte[] Signature(byte[] key, byte[] signingInput) =>
        Encoding.ASCII.GetBytes(Base64Url.EncodeToString(HMACSHA256.HashData(key, signingInput)));

    /// <summary>
    /// Whether <paramref name="signature"/> is the base64url HMAC of <paramref name="signingInput"/> under one of the
    /// keys, compared as text in constant time, as <see cref="Signature"/> writes it. The input is ASCII (checked by the caller).
    /// </summary>
    private static bool IsSignedByAny(byte[][] keys, ReadOnlySpan<char> signingInput, ReadOnlySpan<char> signature)
    {
        var rented = signingInput.Length > StackLimit ? ArrayPool<byte>.Shared.Rent(signingInput.Length) : null;
        try
        {
            var input = rented is null ? stackalloc byte[signingInput.Length] : rented.AsSpan(0, signingInput.Length);
            Encoding.ASCII.GetBytes(signingInput, input);
            Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
            Span<char> expected = stackalloc char[Base64Url.GetEncodedLength(HMACSHA256.HashSizeInBytes)];
            foreach (var key in keys)
            {
                HMACSHA256.HashData(key, input, mac);
                Base64Url.EncodeToChars(mac, expected);
                if (CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(expected), MemoryMarshal.AsBytes(signature)))
                {
                    return true;
                }
            }

            return false;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static bool TryReadHeader(ReadOnlyMemory<byte> json, [NotNullWhen(true)] out string? algorithm, out string? keyId)
    {
        algorithm = null;
        keyId = null;
        try
        {
            using var document = JsonDocument.Parse(json, StrictJson);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("alg", out var alg)
                || alg.ValueKind != JsonValueKind.String
                || alg.GetString() is not { } algText
                || !JwtAlgorithms.IsKnown(algText)
                || root.TryGetProperty("crit", out _))
            {
                return false;
            }

            algorithm = algText;
            if (root.TryGetProperty("kid", out var kid))
            {
                keyId = kid.ValueKind == JsonValueKind.String ? kid.GetString() : null;
                return keyId is not null;
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryReadPayload(
        ReadOnlyMemory<byte> json, [NotNullWhen(true)] out AccessTokenPayload? payload, out double notBefore)
    {
        payload = null;
        notBefore = double.NegativeInfinity;
        try
        {
            using var document = JsonDocument.Parse(json, StrictJson);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("email", out var email)
                || email.ValueKind != JsonValueKind.String
                || email.GetString() is not { Length: > 0 } emailText
                || !root.TryGetProperty("exp", out var exp)
                || exp.ValueKind != JsonValueKind.Number
                || !exp.TryGetInt64(out var expSeconds)
                || !root.TryGetProperty("origIat", out var origIat)
                || origIat.ValueKind != JsonValueKind.Number
                || !origIat.TryGetInt64(out var origIatSeconds))
            {
                return false;
            }

            if (root.TryGetProperty("nbf", out var nbf)
                && (nbf.ValueKind != JsonValueKind.Number || !nbf.TryGetDouble(out notBefore)))
            {
                return false;
            }

            payload = new AccessTokenPayload(emailText, expSeconds, origIatSeconds);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static JsonDocumentOptions StrictJson => new() { AllowDuplicateProperties = false };

    /// <summary>
    /// The segment's bytes if it is base64url of UTF-8 text, else <see langword="null"/>. Base64Url.TryDecodeFromChars
    /// throws (rather than returning false) on a malformed length such as 5 characters, and JsonDocument defers
    /// UTF-8 checks of string values until they are read, so both are checked here, before any parsing.
    /// </summary>
    private static ReadOnlyMemory<byte>? DecodeSegment(ReadOnlySpan<char> segment)
    {
        if (!Base64Url.IsValid(segment))
        {
            return null;
        }

        var buffer = new byte[Base64Url.GetMaxDecodedLength(segment.Length)];
        return Base64Url.TryDecodeFromChars(segment, buffer, out var written) && Utf8.IsValid(buffer.AsSpan(0, written))
            ? buffer.AsMemory(0, written)
            : null;
    }

    private static string EncodeHeader(string algorithm, string? keyId)
    {
        var json = keyId is null
            ? $"{{\"typ\":\"JWT\",\"alg\":\"{algorithm}\"}}"
            : $"{{\"typ\":\"JWT\",\"alg\":\"{algorithm}\",\"kid\":{PythonJsonString(keyId)}}}";
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>
    /// A JSON string as Python's <c>json.dumps</c> writes it (what PyJWT used): only <c>"</c>, <c>\</c> and characters
    /// outside printable ASCII are escaped, with lower-case hex. System.Text.Json's encoders also escape <c>+</c>,
    /// <c>'</c> and <c>&amp;</c>, which are common in email addresses, so they would change the token bytes.
    /// </summary>
    private static string PythonJsonString(string value)
    {
        var json = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            var escaped = c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                >= ' ' and <= '~' => null,
                _ => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
            };
            if (escaped is null)
            {
                json.Append(c);
            }
            else
            {
                json.Append(escaped);
            }
        }

        return json.Append('"').ToString();
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>
    /// A token naming a <c>kid</c> is checked against that key only. In ES256/RS256 mode <c>Jwt__KeyId</c> names the
    /// private key, so a retained HMAC key verifies only tokens without a kid or under its Jwt__PreviousKeys kid.
    /// </summary>
    private static FrozenDictionary<string, byte[]> KeysById(JwtOptions options)
    {
        var keys = options.PreviousKeys.ToDictionary(pair => pair.Key, pair => Encoding.UTF8.GetBytes(pair.Value), StringComparer.Ordinal);
        if (NullIfEmpty(options.KeyId) is { } keyId && !string.IsNullOrEmpty(options.SigningKey) && !JwtAlgorithms.IsAsymmetric(options.Algorithm))
        {
            keys[keyId] = Encoding.UTF8.GetBytes(options.SigningKey ?? "");
        }

        return keys.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>
    /// Tokens without a <c>kid</c> (the original's, signed with its SECRET_KEY) may match any configured HMAC key. An
    /// unset SigningKey (allowed in ES256/RS256 mode) is no key: an empty HMAC key would let anyone sign.
    /// </summary>
    private static byte[][] KeysForTokensWithoutId(JwtOptions options) =>
        [.. new[] { options.SigningKey }.Concat(options.PreviousKeys.Values).Where(key => !string.IsNullOrEmpty(key)).Select(key => Encoding.UTF8.GetBytes(key!))];
}
