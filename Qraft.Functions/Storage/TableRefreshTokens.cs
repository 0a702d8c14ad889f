using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Qraft.Security;
using Qraft.Users;

namespace Qraft.Storage;

/// <summary>
/// Rotating refresh tokens with reuse detection. A token is 20 random bytes as 40 hex digits, like django-graphql-jwt's;
/// the table keeps only its SHA-256 (the token entity's key, <see cref="SingleEntityPartition"/>), so a leaked table
/// yields no usable token. Every token issued by rotation joins
/// the family of the login that started it. Revocation is one flag on the family's row, read on each rotation, so
/// revoking a family costs one write however many tokens it has.
/// </summary>
internal sealed class TableRefreshTokens(StorageTables tables, IOptions<RefreshTokenOptions> options, TimeProvider time)
    : IRefreshTokens, IExpiringState
{
    /// <summary>Token keys are 64 hex digits, so a family's key can never be mistaken for one.</summary>
    private const string FamilyKeyPrefix = "family-";

    public Task<IssuedRefreshToken> IssueAsync(string email, long sessionEpoch, CancellationToken cancellationToken) =>
        tables.RefreshTokens.RunAsync(
            "issue",
            async (table, token) =>
            {
                var (issued, entity) = NewToken(email, Guid.NewGuid().ToString("N"), sessionEpoch);
                await table.AddEntityAsync(entity, token);
                return issued;
            },
            cancellationToken);

    public Task<RefreshResult> RotateAsync(string token, CancellationToken cancellationToken) =>
        tables.RefreshTokens.RunAsync(
            "rotate",
            async (table, cancel) =>
            {
                if (await table.FindAsync<TokenEntity>(Hash(token), cancel) is not { } current)
                {
                    return new RefreshResult(RefreshStatus.Invalid, null, null);
                }

                var now = time.GetUtcNow();
                if (IsExpired(current, now))
                {
                    return new RefreshResult(RefreshStatus.Expired, current.Email, null);
                }

                if (current.RotatedTo is not null || await IsFamilyRevokedAsync(table, current.FamilyId, cancel))
                {
                    return await ReusedAsync(table, current, now, cancel);
                }

                // The successor is written first: if storage fails in between, the user keeps a working token
                // rather than one already marked as rotated.
                var (next, nextEntity) = NewToken(current.Email, current.FamilyId, current.SessionEpoch);
                await table.AddEntityAsync(nextEntity, cancel);
                current.RotatedTo = nextEntity.Key;
                current.RotatedAt = now;
                try
                {
                    await table.UpdateEntityAsync(current, current.ETag, TableUpdateMode.Replace, cancel);
                }
                catch (RequestFailedException lost) when (lost.Status == 412)
                {
                    // Another request rotated this token first: it was presented twice, which is the reuse signal.
                    // The successor written above was never handed out and its family is revoked now, so it is inert.
                    return await ReusedAsync(table, current, now, cancel);
                }

                return new RefreshResult(RefreshStatus.Rotated, current.Email, next, current.SessionEpoch);
            },
            cancellationToken);

    public Task<DateTimeOffset?> RevokeAsync(string token, CancellationToken cancellationToken) =>
        tables.RefreshTokens.RunAsync<DateTimeOffset?>(
            "revoke",
            async (table, cancel) =>
            {
                if (await table.FindAsync<TokenEntity>(Hash(token), cancel, [nameof(TokenEntity.FamilyId)]) is not { } found)
                {
                    return null;
                }

                var now = time.GetUtcNow();
                await RevokeFamilyAsync(table, found.FamilyId, now, cancel);
                return now;
            },
            cancellationToken);

    /// <summary>
    /// A filtered scan of the whole table, since tokens are keyed by their hash, not their account: fine for an
    /// account's deletion, which is rare, and cheaper than an index every login would have to write.
    /// </summary>
    public Task<int> DeleteAllAsync(string email, CancellationToken cancellationToken) =>
        tables.RefreshTokens.DeleteWhereAsync(
            "delete_account", TableClient.CreateQueryFilter($"Email eq {email}"), cancellationToken);

    public string Name => tables.RefreshTokens.Name;

    /// <summary>
    /// In one scan: tokens past their expiry or past the lifetime configured now (see <see cref="IsExpired"/>), and
    /// revoked families older than that lifetime, since every token of a family was issued before its revocation.
    /// </summary>
    public Task<int> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var oldest = now - options.Value.RefreshTokenLifetime;
        return tables.RefreshTokens.DeleteWhereAsync(
            "purge",
            TableClient.CreateQueryFilter($"ExpiresAt le {now} or IssuedAt le {oldest} or RevokedAt le {oldest}"), cancellationToken);
    }

    /// <summary>
    /// A shortened lifetime setting applies to tokens issued before the change too: what an operator shortening it
    /// wants, and what lets the purge delete a revoked family once no token issued before its revocation can live.
    /// </summary>
    private bool IsExpired(TokenEntity token, DateTimeOffset now) =>
        token.ExpiresAt <= now || token.IssuedAt + options.Value.RefreshTokenLifetime <= now;

    private (IssuedRefreshToken Issued, TokenEntity Entity) NewToken(string email, string familyId, long sessionEpoch)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        var now = time.GetUtcNow();
        var expiresAt = now + options.Value.RefreshTokenLifetime;
        var entity = new TokenEntity
        {
            Key = Hash(token),
            Email = email,
            FamilyId = familyId,
            SessionEpoch = sessionEpoch,
            IssuedAt = now,
            ExpiresAt = expiresAt,
        };
        return (new IssuedRefreshToken(token, expiresAt), entity);
    }

    private static async Task<RefreshResult> ReusedAsync(TableClient table, TokenEntity reused, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await RevokeFamilyAsync(table, reused.FamilyId, now, cancellationToken);
        return new RefreshResult(RefreshStatus.Reused, reused.Email, null);
    }

    private static async Task<bool> IsFamilyRevokedAsync(TableClient table, string familyId, CancellationToken cancellationToken)
    {
        // No row means never revoked: families get a row only when they are revoked.
        var family = await table.FindAsync<FamilyEntity>(FamilyKeyPrefix + familyId, cancellationToken);
        return family is { Revoked: true };
    }

    private static Task RevokeFamilyAsync(TableClient table, string familyId, DateTimeOffset now, CancellationToken cancellationToken) =>
        table.UpsertEntityAsync(
            new FamilyEntity { Key = FamilyKeyPrefix + familyId, Revoked = true, RevokedAt = now },
            TableUpdateMode.Replace,
            cancellationToken);

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private sealed class TokenEntity : SingleEntityPartition
    {
        public string Email { get; set; } = "";

        public string FamilyId { get; set; } = "";

        /// <summary>Inherited through rotation; absent (zero) on tokens stored before session epochs.</summary>
        public long SessionEpoch { get; set; }

        public DateTimeOffset IssuedAt { get; set; }

        public DateTimeOffset ExpiresAt { get; set; }

        /// <summary>The hash of the successor; set once, when this token is exchanged.</summary>
        public string? RotatedTo { get; set; }

        public DateTimeOffset? RotatedAt { get; set; }
    }

    private sealed class FamilyEntity : SingleEntityPartition
    {
        public bool Revoked { get; set; }

        public DateTimeOffset? RevokedAt { get; set; }
    }
}
