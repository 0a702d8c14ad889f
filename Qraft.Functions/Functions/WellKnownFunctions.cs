using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Qraft.Security;

namespace Qraft.Functions;

/// <summary>
/// The token-verification documents other services read: the public signing keys (RFC 7517) and the OpenID discovery
/// document that points at them. Both change only when a key or setting does, so caches may keep them for five
/// minutes: a rotation therefore publishes the new key at least that long before it signs (see README).
/// </summary>
public sealed class WellKnownFunctions(PublishedSigningKeys keys)
{
    private const string CacheControl = "public, max-age=300";

    [Function("jwks")]
    public IActionResult Jwks(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ".well-known/jwks.json")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Headers.IfNoneMatch == keys.ETag
            ? new CachedJsonResult(StatusCodes.Status304NotModified, ReadOnlyMemory<byte>.Empty, keys.ETag)
            : new CachedJsonResult(StatusCodes.Status200OK, keys.JsonWebKeySet, keys.ETag);
    }

    /// <remarks>
    /// Says only what is true of this service: where its keys are and the one algorithm it signs with. It is not an
    /// OpenID provider (no authorization or token endpoint), so those fields are absent; the algorithm goes in
    /// <c>id_token_signing_alg_values_supported</c> because that is the field verifiers such as Microsoft.IdentityModel
    /// read to learn which algorithms to accept.
    /// </remarks>
    [Function("openidConfiguration")]
    public IActionResult OpenIdConfiguration(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ".well-known/openid-configuration")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var issuer = (keys.Issuer?.ToString() ?? $"{request.Scheme}://{request.Host}").TrimEnd('/');
        var document = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["issuer"] = issuer,
            ["jwks_uri"] = $"{issuer}/.well-known/jwks.json",
            ["id_token_signing_alg_values_supported"] = new[] { keys.Algorithm },
        });
        return new CachedJsonResult(StatusCodes.Status200OK, document, etag: null);
    }

    private sealed class CachedJsonResult(int status, ReadOnlyMemory<byte> body, string? etag) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            response.StatusCode = status;
            response.Headers.CacheControl = CacheControl;
            if (etag is not null)
            {
                response.Headers.ETag = etag;
            }

            if (status == StatusCodes.Status200OK)
            {
                response.ContentType = "application/json";
                response.ContentLength = body.Length;
                await response.Body.WriteAsync(body, context.HttpContext.RequestAborted);
            }
        }
    }
}
