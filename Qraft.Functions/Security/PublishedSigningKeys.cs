using Microsoft.Extensions.Options;

namespace Qraft.Security;

/// <summary>What <c>/.well-known/jwks.json</c> and <c>/.well-known/openid-configuration</c> publish about token signing.</summary>
public sealed class PublishedSigningKeys
{
    internal PublishedSigningKeys(AsymmetricJwtKeyRing keys, IOptions<JwtOptions> options)
    {
        JsonWebKeySet = keys.JsonWebKeySet;
        ETag = keys.ETag;
        Algorithm = options.Value.Algorithm;
        Issuer = options.Value.Issuer;
    }

    /// <summary>The RFC 7517 JWK Set as UTF-8 JSON: public keys only, <c>{"keys":[]}</c> in HS256 mode.</summary>
    public ReadOnlyMemory<byte> JsonWebKeySet { get; }

    public string ETag { get; }

    /// <summary>The one algorithm new tokens are signed with.</summary>
    public string Algorithm { get; }

    /// <summary><c>Jwt__Issuer</c>, or <see langword="null"/> to name the request's own origin.</summary>
    public Uri? Issuer { get; }
}
