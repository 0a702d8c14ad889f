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
        if (string.IsNullOrWhiteSpace(options.SigningKey))
        {
            failures.AddError(
                "Jwt__SigningKey is not set. Set it to a random secret of at least 32 bytes, the same on every replica.");
        }
        else if (IsUnresolvedReference(options.SigningKey))
        {
            // App Service passes a Key Vault reference through as literal text until the app may read the vault; that
            // public text must never become the signing key.
            failures.AddError("Jwt__SigningKey is an unresolved Key Vault reference: grant the app's identity access to the vault and restart.");
        }
        else if (IsTooShort(options.SigningKey))
        {
            failures.AddError("Jwt__SigningKey is too short: it must be at least 32 bytes (UTF-8).");
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

    private static bool IsTooShort(string key) => Encoding.UTF8.GetByteCount(key) < JwtOptions.MinKeyBytes;

    private static bool IsUnresolvedReference(string key) => key.TrimStart().StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase);
}
