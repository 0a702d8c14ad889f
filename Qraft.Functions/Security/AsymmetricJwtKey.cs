using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;

namespace Qraft.Security;

/// <summary>
/// One ES256 or RS256 key of the token key ring, loaded once from PEM: the current private key, or a retired public key.
/// </summary>
/// <remarks>
/// The key object is created once and shared by all requests: concurrent sign and verify calls on one
/// <see cref="ECDsa"/>/<see cref="RSA"/> instance are safe while its key is not re-imported, which never happens here.
/// </remarks>
internal sealed class AsymmetricJwtKey : IDisposable
{
    public const int MinRsaKeyBits = 2048;

    private readonly ECDsa? _ecdsa;
    private readonly RSA? _rsa;

    private AsymmetricJwtKey(string keyId, string algorithm, ECDsa? ecdsa, RSA? rsa)
    {
        KeyId = keyId;
        Algorithm = algorithm;
        _ecdsa = ecdsa;
        _rsa = rsa;
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
        error = algorithm switch
        {
            JwtAlgorithms.ES256 => TryLoadEcdsa(keyId, pem, requirePrivate, setting, out key),
            JwtAlgorithms.RS256 => TryLoadRsa(keyId, pem, requirePrivate, setting, out key),
            _ => $"{setting} needs Jwt__Algorithm ES256 or RS256.",
        };
        return error is null;
    }

    public byte[] Sign(byte[] signingInput) =>
        _ecdsa?.SignData(signingInput, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
        ?? _rsa!.SignData(signingInput, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    /// <summary>JWS signatures: ES256 is the fixed 64-byte r‖s form (RFC 7518 §3.4), not DER.</summary>
    public bool Verify(ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature) =>
        _ecdsa?.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
        ?? _rsa!.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    /// <summary>The public half as an RFC 7517 JWK; only public parameters are ever exported.</summary>
    public void WriteJwk(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        if (_ecdsa is not null)
        {
            var parameters = _ecdsa.ExportParameters(includePrivateParameters: false);
            json.WriteString("kty", "EC");
            json.WriteString("crv", "P-256");
            json.WriteString("x", Base64Url.EncodeToString(parameters.Q.X));
            json.WriteString("y", Base64Url.EncodeToString(parameters.Q.Y));
        }
        else
        {
            var parameters = _rsa!.ExportParameters(includePrivateParameters: false);
            json.WriteString("kty", "RSA");
            json.WriteString("n", Base64Url.EncodeToString(parameters.Modulus));
            json.WriteString("e", Base64Url.EncodeToString(parameters.Exponent));
        }

        json.WriteString("kid", KeyId);
        json.WriteString("use", "sig");
        json.WriteString("alg", Algorithm);
        json.WriteEndObject();
    }

    public void Dispose()
    {
        _ecdsa?.Dispose();
        _rsa?.Dispose();
    }

    private static string? TryLoadEcdsa(string keyId, string pem, bool requirePrivate, string setting, out AsymmetricJwtKey? key)
    {
        key = null;
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(pem);
            var parameters = ecdsa.ExportParameters(includePrivateParameters: false);
            if (parameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                return $"{setting} is an EC key on another curve; ES256 needs P-256 (prime256v1).";
            }

            if (requirePrivate && !HasPrivateKey(() => ecdsa.ExportParameters(includePrivateParameters: true)))
            {
                return $"{setting} is a public key; it must be the private key.";
            }

            key = new AsymmetricJwtKey(keyId, JwtAlgorithms.ES256, ecdsa, null);
            ecdsa = null;
            return null;
        }
        catch (Exception exception) when (exception is ArgumentException or CryptographicException)
        {
            return $"{setting} is not an EC P-256 key in PEM (for example from `openssl ecparam -name prime256v1 -genkey`), as ES256 needs.";
        }
        finally
        {
            ecdsa?.Dispose();
        }
    }

    private static string? TryLoadRsa(string keyId, string pem, bool requirePrivate, string setting, out AsymmetricJwtKey? key)
    {
        key = null;
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            if (rsa.KeySize < MinRsaKeyBits)
            {
                return $"{setting} is a {rsa.KeySize}-bit RSA key; RS256 needs at least {MinRsaKeyBits} bits.";
            }

            if (requirePrivate && !HasPrivateKey(() => rsa.ExportParameters(includePrivateParameters: true)))
            {
                return $"{setting} is a public key; it must be the private key.";
            }

            key = new AsymmetricJwtKey(keyId, JwtAlgorithms.RS256, null, rsa);
            rsa = null;
            return null;
        }
        catch (Exception exception) when (exception is ArgumentException or CryptographicException)
        {
            return $"{setting} is not an RSA key in PEM, as RS256 needs.";
        }
        finally
        {
            rsa?.Dispose();
        }
    }

    private static bool HasPrivateKey(Action exportPrivate)
    {
        try
        {
            exportPrivate();
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
