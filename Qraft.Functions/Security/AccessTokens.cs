namespace Qraft.Security;

/// <summary>The claims of an access token, exactly as the original service issued them.</summary>
/// <param name="Exp">Expiry, seconds since the Unix epoch.</param>
/// <param name="OrigIat">When the first token of this refresh chain was issued, seconds since the Unix epoch.</param>
public sealed record AccessTokenPayload(string Email, long Exp, long OrigIat);

public sealed record IssuedAccessToken(string Token, AccessTokenPayload Payload);

public enum TokenStatus
{
    Valid,
    Expired,
    Invalid,
}

/// <summary>The outcome of reading a token; <see cref="Payload"/> is set only when the signature verified.</summary>
public sealed record TokenReadResult(TokenStatus Status, AccessTokenPayload? Payload)
{
    public static readonly TokenReadResult Invalid = new(TokenStatus.Invalid, null);
}

/// <summary>HS256 access tokens with the original's header and payload (<c>{email, exp, origIat}</c>).</summary>
public interface IAccessTokens
{
    IssuedAccessToken Issue(string email);

    /// <summary>A new token for the same chain: same <c>origIat</c>, a fresh <c>exp</c>.</summary>
    IssuedAccessToken Reissue(AccessTokenPayload payload);

    /// <summary>Verifies signature (current or previous keys), algorithm and expiry.</summary>
    TokenReadResult Read(string token);
}
