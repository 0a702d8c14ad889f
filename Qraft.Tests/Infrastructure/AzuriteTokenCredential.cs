using System.Security.Cryptography;
using Azure.Core;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Qraft.Tests.Infrastructure;

/// <summary>
/// Stands in for a managed identity offline: issues tokens shaped as Microsoft Entra ID issues them for Storage, which
/// is what Azurite's <c>--oauth basic</c> checks (issuer prefix, audience, nbf/iat/exp; not the signature). Records the
/// scopes it was asked for, so a test can show the client really signed in.
/// </summary>
public sealed class AzuriteTokenCredential(string audience = AzuriteTokenCredential.StorageAudience) : TokenCredential
{
    public const string StorageAudience = "https://storage.azure.com";

    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly Lock _lock = new();
    private readonly List<string> _scopes = [];

    public IReadOnlyList<string> RequestedScopes
    {
        get
        {
            lock (_lock)
            {
                return [.. _scopes];
            }
        }
    }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _scopes.AddRange(requestContext.Scopes);
        }

        var now = DateTime.UtcNow;
        var expires = now.Add(Lifetime);
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = $"https://sts.windows.net/{Guid.Empty}/",
            Audience = audience,
            IssuedAt = now,
            NotBefore = now.AddMinutes(-1),
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), SecurityAlgorithms.HmacSha256),
        });
        return new AccessToken(token, expires);
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
