using System.Text;
using Microsoft.Extensions.Options;

namespace Qraft.Security;

/// <summary>
/// Fails startup on unusable JWT settings. Messages name the setting as it is written in the environment and never
/// include a key's value.
/// </summary>
internal sealed class JwtOptionsValidator : IValidateOptions<JwtOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
        var failures = new ValidateOptionsResultBuilder();
        if (!JwtAlgorithms.IsKnown(options.Algorithm))
        {
            failures.AddError("Jwt__Algorithm must be HS256, ES256 or RS256.");
            return failures.Build();
        }

        var asymmetric = JwtAlgorithms.IsAsymmetric(options.Algorithm);
        if (asymmetric)
        {
            ValidateAsymmetric(options, failures);
        }
        else if (!string.IsNullOrEmpty(options.PrivateKey) || options.PreviousPublicKeys.Count > 0)
        {
            failures.AddError("Jwt__PrivateKey and Jwt__PreviousPublicKeys are used only with Jwt__Algorithm ES256 or RS256; set it, or remove them.");
        }

        // In ES256/RS256 mode the HMAC key is optional: when set, it still verifies the HS256 tokens issued before the
        // switch (see README, "Asymmetric access tokens"), and never signs.
        if (!asymmetric || options.SigningKey is not null)
        {
            ValidateSigningKey(options.SigningKey, failures);
        }

        foreach (var (kid, key) in options.PreviousKeys)
        {
            if (string.IsNullOrWhiteSpace(key) || IsTooShort(key) || IsUnresolvedReference(key))
            {
                failures.AddError($"Jwt__PreviousKeys__{kid} must be at least 32 bytes (UTF-8).");
            }
        }

        if (options.KeyId is { } keyId && options.PreviousKeys.ContainsKey(keyId))
        {
            failures.AddError($"Jwt__KeyId \"{keyId}\" is also a Jwt__PreviousKeys entry; a kid must name exactly one key.");
        }

        if (options.AccessTokenLifetime < TimeSpan.FromSeconds(1))
        {
            failures.AddError("Jwt__AccessTokenLifetime must be at least one second.");
        }

        return failures.Build();
    }

    private static void ValidateSigningKey(string? signingKey, ValidateOptionsResultBuilder failures)
    {
        if (string.IsNullOrWhiteSpace(signingKey))
        {
            failures.AddError(
                "Jwt__SigningKey is not set. Set it to a random secret of at least 32 bytes, the same on every replica.");
        }
        else if (IsUnresolvedReference(signingKey))
        {
            // App Service passes a Key Vault reference through as literal text until the app may read the vault; that
            // public text must never become the signing key.
            failures.AddError("Jwt__SigningKey is an unresolved Key Vault reference: grant the app's identity access to the vault and restart.");
        }
        else if (IsTooShort(signingKey))
        {
            failures.AddError("Jwt__SigningKey is too short: it must be at least 32 bytes (UTF-8).");
        }
    }

    private static void ValidateAsymmetric(JwtOptions options, ValidateOptionsResultBuilder failures)
    {
        if (string.IsNullOrWhiteSpace(options.KeyId))
        {
            failures.AddError($"Jwt__KeyId is not set: {options.Algorithm} tokens always name their key, so that it can be rotated.");
        }

        if (string.IsNullOrWhiteSpace(options.PrivateKey))
        {
            failures.AddError($"Jwt__PrivateKey is not set. {options.Algorithm} needs the private key as PEM (see README, \"Asymmetric access tokens\").");
        }
        else if (IsUnresolvedReference(options.PrivateKey))
        {
            failures.AddError("Jwt__PrivateKey is an unresolved Key Vault reference: grant the app's identity access to the vault and restart.");
        }
        else
        {
            CheckKey(options.Algorithm, options.PrivateKey, requirePrivate: true, "Jwt__PrivateKey", failures);
        }

        foreach (var (kid, pem) in options.PreviousPublicKeys)
        {
            if (kid == options.KeyId || options.PreviousKeys.ContainsKey(kid))
            {
                failures.AddError($"Jwt__PreviousPublicKeys__{kid}: the kid also names another key; a kid must name exactly one key.");
            }

            CheckKey(options.Algorithm, pem, requirePrivate: false, $"Jwt__PreviousPublicKeys__{kid}", failures);
        }
    }

    private static void CheckKey(string algorithm, string pem, bool requirePrivate, string setting, ValidateOptionsResultBuilder failures)
    {
        if (AsymmetricJwtKey.TryLoad(algorithm, "check", pem, requirePrivate, setting, out var key, out var error))
        {
            key.Dispose();
        }
        else
        {
            failures.AddError(error);
        }
    }

    private static bool IsTooShort(string key) => Encoding.UTF8.GetByteCount(key) < JwtOptions.MinKeyBytes;

    private static bool IsUnresolvedReference(string key) => key.TrimStart().StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase);
}
