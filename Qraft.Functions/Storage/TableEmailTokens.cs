using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Qraft.Security;
using Qraft.Users;

namespace Qraft.Storage;

/// <summary>
/// Mailed tokens, one entity each (<see cref="SingleEntityPartition"/>), keyed by purpose and the token's SHA-256. Using
/// a token deletes its entity under the ETag just read: a second use, here or on another replica, finds nothing or loses
/// the delete (404/412) and is refused.
/// </summary>
internal sealed class TableEmailTokens(StorageTables tables, TimeProvider time) : IEmailTokens, IExpiringState
{
    private const int TokenBytes = 32;

    /// <summary>Longer than any token this service issues (43 characters); anything longer is refused without hashing it.</summary>
    private const int MaxTokenLength = 64;

    public string Name => tables.EmailTokens.Name;

    public Task<string> IssueAsync(EmailTokenPurpose purpose, string email, TimeSpan lifetime, CancellationToken cancellationToken) =>
        tables.EmailTokens.RunAsync(
            "issue",
            async (table, cancel) =>
            {
                var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));
                await table.AddEntityAsync(
                    new TokenEntity { Key = KeyOf(purpose, token), Email = email, ExpiresAt = time.GetUtcNow() + lifetime }, cancel);
                return token;
            },
            cancellationToken);

    public Task<EmailTokenResult> ConsumeAsync(EmailTokenPurpose purpose, string token, CancellationToken cancellationToken)
    {
        if (token.Length is 0 or > MaxTokenLength)
        {
            return Task.FromResult(new EmailTokenResult(EmailTokenStatus.Invalid, null));
        }

        return tables.EmailTokens.RunAsync(
            "consume",
            async (table, cancel) =>
            {
                var key = KeyOf(purpose, token);
                if (await table.FindAsync<TokenEntity>(key, cancel) is not { } found)
                {
                    return new EmailTokenResult(EmailTokenStatus.Invalid, null);
                }

                try
                {
                    await table.DeleteEntityAsync(key, key, found.ETag, cancel);
                }
                catch (RequestFailedException lost) when (lost.Status is 404 or 412)
                {
                    return new EmailTokenResult(EmailTokenStatus.Invalid, null);
                }

                return found.ExpiresAt <= time.GetUtcNow()
                    ? new EmailTokenResult(EmailTokenStatus.Expired, null)
                    : new EmailTokenResult(EmailTokenStatus.Consumed, found.Email);
            },
            cancellationToken);
    }

    /// <summary>A filtered scan, since tokens are keyed by their hash: fine for an account's deletion, which is rare.</summary>
    public Task<int> DeleteAllAsync(string email, CancellationToken cancellationToken) =>
        tables.EmailTokens.DeleteWhereAsync("delete_account", TableClient.CreateQueryFilter($"Email eq {email}"), cancellationToken);

    public Task<int> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        tables.EmailTokens.DeleteWhereAsync("purge", TableClient.CreateQueryFilter($"ExpiresAt le {now}"), cancellationToken);

    private static string KeyOf(EmailTokenPurpose purpose, string token) =>
        $"{purpose}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))}";

    private sealed class TokenEntity : SingleEntityPartition
    {
        public string Email { get; set; } = "";

        public DateTimeOffset ExpiresAt { get; set; }
    }
}
