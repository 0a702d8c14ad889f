using System.Buffers.Text;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;

namespace Qraft.Security;

/// <summary>
/// One ES256 or RS256 key of the token key ring, loaded once from PEM: the current private key, or a retired public key.
/// </summary>
/// <remarks>
/// The key object is created once and shared by all requests: concurrent sign and verify calls on one
/// <see cref="ECDsa"/> or <see cref="RSA"/> instance are safe while its key is not re-imported, which never happens here.
/// </remarks>
internal sealed class AsymmetricJwtKey : IDisposable
{
    public const int MinRsaKeyBits = 2048;

    private static readonly KeyShape EcdsaP256 = new(
        JwtAlgorithms.ES256,
        ECDsa.Create,
        (key, setting) => ((ECDsa)key).ExportParameters(includePrivateParameters: false).Curve.Oid.Value == ECCurve.NamedCurves.nistP256.Oid.Value
            ? null
            : $"{setting} is an EC key on another curve; ES256 needs P-256 (prime256v1).",
        setting => $"{setting} is not an EC P-256 key in PEM (for example from `openssl ecparam -name prime256v1 -genkey`), as ES256 needs.");

    private static readonly KeyShape Rsa2048 = new(
        JwtAlgorithms.RS256,
        RSA.Create,
        (key, setting) => key.KeySize >= MinRsaKeyBits
            ? null
            : $"{setting} is a {key.KeySize}-bit RSA key; RS256 needs at least {MinRsaKeyBits} bits.",
        setting => $"{setting} is not an RSA key in PEM, as RS256 needs.");

    private readonly AsymmetricAlgorithm _key;

    private AsymmetricJwtKey(string keyId, string algorithm, AsymmetricAlgorithm key)
    {
        KeyId = keyId;
        Algorithm = algorithm;
        _key = key;
    }

    public string KeyId { get; }

    /// <summary>The one <c>alg</c> this key verifies; a token naming its <c>kid</c> with any other <c>alg</c> is rejected.</summary>
    public string Algorithm { get; }

    /// <summary>
    /// Loads <paramref name="pem"/> as a key for <paramref name="algorithm"/>, or says why it cannot be, naming
    /// <paramref name="setting"/> and never the key's text.
    /// </summary>
    public static bool TryLoad(
        string algorithm,
        string keyId,
        string pem,
        bool requirePrivate,
        string setting,
        [NotNullWhen(true)] out AsymmetricJwtKey? key,
        [NotNullWhen(false)] out string? error)
    {
        key = null;
        var shape = algorithm switch
        {
            JwtAlgorithms.ES256 => EcdsaP256,
            JwtAlgorithms.RS256 => Rsa2048,
            _ => null,
        };
        if (shape is null)
        {
            error = $"{setting} needs Jwt__Algorithm ES256 or RS256.";
            return false;
        }

        var loaded = shape.Create();
        try
        {
            loaded.ImportFromPem(pem);
            error = shape.CheckShape(loaded, setting)
                ?? (requirePrivate && !HasPrivateKey(loaded) ? $"{setting} is a public key; it must be the private key." : null);
            if (error is not null)
            {
                return false;
            }

            key = new AsymmetricJwtKey(keyId, shape.Algorithm, loaded);
            loaded = null;
            return true;
        }
        catch (Exception exception) when (exception is ArgumentException or CryptographicException)
        {
            error = shape.NotThisKind(setting);
            return false;
        }
        finally
        {
            loaded?.Dispose();
        }
    }

    public byte[] Sign(byte[] signingInput) => _key switch
    {
        ECDsa ecdsa => ecdsa.SignData(signingInput, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
        RSA rsa => rsa.SignData(signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => throw new UnreachableException(),
    };

    /// <summary>JWS signatures: ES256 is the fixed 64-byte r‖s form (RFC 7518 §3.4), not DER.</summary>
    public bool Verify(ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature) => _key switch
    {
        ECDsa ecdsa => ecdsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
        RSA rsa => rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => throw new UnreachableException(),
    };

    /// <summary>The public half as an RFC 7517 JWK; only public parameters are ever exported.</summary>
    public void WriteJwk(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        if (_key is ECDsa ecdsa)
        {
            var parameters = ecdsa.ExportParameters(includePrivateParameters: false);
            json.WriteString("kty", "EC");
            json.WriteString("crv", "P-256");
            json.WriteString("x", Base64Url.EncodeToString(parameters.Q.X));
            json.WriteString("y", Base64Url.EncodeToString(parameters.Q.Y));
        }
        else
        {
            var parameters = ((RSA)_key).ExportParameters(includePrivateParameters: false);
            json.WriteString("kty", "RSA");
            json.WriteString("n", Base64Url.EncodeToString(parameters.Modulus));
            json.WriteString("e", Base64Url.EncodeToString(parameters.Exponent));
        }

        json.WriteString("kid", KeyId);
        json.WriteString("use", "sig");
        json.WriteString("alg", Algorithm);
        json.WriteEndObject();
    }

    public void Dispose() => _key.Dispose();

    private static bool HasPrivateKey(AsymmetricAlgorithm key)
    {
        try
        {
            // The export is the one portable probe for a private half; its bytes are wiped at once.
            CryptographicOperations.ZeroMemory(key.ExportPkcs8PrivateKey());
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>What one algorithm needs of its key: the key type, its size or curve, and the error when the PEM is another kind.</summary>
    private sealed record KeyShape(
        string Algorithm,
        Func<AsymmetricAlgorithm> Create,
        Func<AsymmetricAlgorithm, string, string?> CheckShape,
        Func<string, string> NotThisKind);
}
