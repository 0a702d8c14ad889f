using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Qraft.Tests.Infrastructure;

/// <summary>
/// A verifier that knows only what the app publishes: the key set fetched over HTTP, checked by Microsoft.IdentityModel,
/// never our signing code. It is what another service holding no secret would do.
/// </summary>
internal static class JwksVerifier
{
    public static async Task<TokenValidationResult> VerifyAsync(HttpClient http, Uri keySet, string token, string algorithm)
    {
        var jwks = new JsonWebKeySet(await http.GetStringAsync(keySet));
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [algorithm],
            ValidateIssuer = false,
            ValidateAudience = false,
            RequireSignedTokens = true,
            TryAllIssuerSigningKeys = false,
        });
    }
}
