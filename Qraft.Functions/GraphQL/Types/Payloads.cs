using Qraft.Security;
using Qraft.Users;

namespace Qraft.GraphQL.Types;

/// <summary>A user as one caller sees it: the stored hash is shown only on the caller's own record, as the original did.</summary>
public sealed record UserView(User User, bool IsSelf);

public sealed record CreateUserPayload(UserView User);

public sealed record LoginPayload(string Token, TokenClaims Payload, long RefreshExpiresIn, string RefreshToken, UserView User);

public sealed record VerifyTokenPayload(TokenClaims Payload);

public sealed record RefreshTokenPayload(string Token, TokenClaims Payload, long RefreshExpiresIn, string? RefreshToken);

public sealed record RevokeTokenPayload(long Revoked);

/// <summary>The answer of a change that has nothing to return but its success (the mail flows, signOutEverywhere, deleteAccount).</summary>
public sealed record DonePayload(bool Ok);

/// <summary>The <c>payload</c> field: the token's claims as a JSON object, in the token's own key order.</summary>
public sealed class TokenClaims : Dictionary<string, object>
{
    public TokenClaims(AccessTokenPayload payload)
    {
        Add("email", payload.Email);
        Add("exp", payload.Exp);
        Add("origIat", payload.OrigIat);
    }
}
