using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Qraft.Security;

/// <summary>
/// The ES256/RS256 keys of <see cref="JwtOptions"/>, loaded once: the current private key and the retired public keys,
/// by <c>kid</c>, and their public JWK Set. Empty when <c>Jwt__Algorithm</c> is HS256.
/// </summary>
internal sealed class AsymmetricJwtKeyRing : IDisposable
{
    private readonly FrozenDictionary<string, AsymmetricJwtKey> _keysById;

    public AsymmetricJwtKeyRing(IOptions<JwtOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        var keys = new Dictionary<string, AsymmetricJwtKey>(StringComparer.Ordinal);
        if (JwtAlgorithms.IsAsymmetric(settings.Algorithm))
        {
            // The validator has already vouched for every key, so a failure here is a bug, not a setting.
            Current = Load(settings.Algorithm, settings.KeyId!, settings.PrivateKey!, requirePrivate: true, "Jwt__PrivateKey");
            keys[Current.KeyId] = Current;
            foreach (var (kid, pem) in settings.PreviousPublicKeys)
            {
                keys[kid] = Load(settings.Algorithm, kid, pem, requirePrivate: false, $"Jwt__PreviousPublicKeys__{kid}");
            }
        }

        _keysById = keys.ToFrozenDictionary(StringComparer.Ordinal);
        JsonWebKeySet = WriteJsonWebKeySet(_keysById.Values.OrderBy(key => key != Current).ThenBy(key => key.KeyId, StringComparer.Ordinal));
        ETag = $"\"{Convert.ToHexStringLower(SHA256.HashData(JsonWebKeySet))[..32]}\"";
    }

    /// <summary>The key new tokens are signed with, or <see langword="null"/> in HS256 mode.</summary>
    public AsymmetricJwtKey? Current { get; }

    /// <summary>The RFC 7517 JWK Set of the public keys (<c>{"keys":[]}</c> in HS256 mode: a secret is never published).</summary>
    public byte[] JsonWebKeySet { get; }

    /// <summary>A strong validator of <see cref="JsonWebKeySet"/>: its bytes change exactly when a key does.</summary>
    public string ETag { get; }

    public bool TryGet(string keyId, out AsymmetricJwtKey key) => _keysById.TryGetValue(keyId, out key!);

    public void Dispose()
    {
        foreach (var key in _keysById.Values)
        {
            key.Dispose();
        }
    }

    private static AsymmetricJwtKey Load(string algorithm, string kid, string pem, bool requirePrivate, string setting) =>
        AsymmetricJwtKey.TryLoad(algorithm, kid, pem, requirePrivate, setting, out var key, out var error)
            ? key
            : throw new InvalidOperationException(error);

    private static byte[] WriteJsonWebKeySet(IEnumerable<AsymmetricJwtKey> keys)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("keys");
            foreach (var key in keys)
            {
                key.WriteJwk(json);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
