using System.Security.Cryptography;
using Qraft.Security;

namespace Qraft.Tests.Fakes;

/// <summary>
/// <see cref="IRefreshTokens"/> with the same rules as the stored ones (rotation, reuse revokes the family, expiry), in
/// memory, for unit tests of the session rules only; the Table Storage tokens have their own tests
/// (Storage/TableRefreshTokensTests).
/// </summary>
internal sealed class InMemoryRefreshTokens(TimeProvider time, TimeSpan lifetime) : IRefreshTokens
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Issued> _tokens = new(StringComparer.Ordinal);
    private readonly HashSet<string> _revokedFamilies = new(StringComparer.Ordinal);

    public Task<IssuedRefreshToken> IssueAsync(string email, long sessionEpoch, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Add(email, Guid.NewGuid().ToString("N"), sessionEpoch));
        }
    }

    public Task<RefreshResult> RotateAsync(string token, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_tokens.TryGetValue(token, out var current))
            {
                return Task.FromResult(new RefreshResult(RefreshStatus.Invalid, null, null));
            }

            if (current.ExpiresAt <= time.GetUtcNow())
            {
                return Task.FromResult(new RefreshResult(RefreshStatus.Expired, current.Email, null));
            }

            if (current.Rotated || _revokedFamilies.Contains(current.Family))
            {
                _revokedFamilies.Add(current.Family);
                return Task.FromResult(new RefreshResult(RefreshStatus.Reused, current.Email, null));
            }

            _tokens[token] = current with { Rotated = true };
            return Task.FromResult(new RefreshResult(
                RefreshStatus.Rotated, current.Email, Add(current.Email, current.Family, current.SessionEpoch), current.SessionEpoch));
        }
    }

    public Task<DateTimeOffset?> RevokeAsync(string token, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_tokens.TryGetValue(token, out var found))
            {
                return Task.FromResult<DateTimeOffset?>(null);
            }

            _revokedFamilies.Add(found.Family);
            return Task.FromResult<DateTimeOffset?>(time.GetUtcNow());
        }
    }

    public Task<int> DeleteAllAsync(string email, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var owned = _tokens.Where(t => t.Value.Email == email).Select(t => t.Key).ToList();
            owned.ForEach(token => _tokens.Remove(token));
            return Task.FromResult(owned.Count);
        }
    }

    public bool IsFamilyRevoked(string token)
    {
        lock (_lock)
        {
            return _tokens.TryGetValue(token, out var found) && _revokedFamilies.Contains(found.Family);
        }
    }

    private IssuedRefreshToken Add(string email, string family, long sessionEpoch)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        var expiresAt = time.GetUtcNow() + lifetime;
        _tokens[token] = new Issued(email, family, expiresAt, Rotated: false, sessionEpoch);
        return new IssuedRefreshToken(token, expiresAt);
    }

    private sealed record Issued(string Email, string Family, DateTimeOffset ExpiresAt, bool Rotated, long SessionEpoch);
}
