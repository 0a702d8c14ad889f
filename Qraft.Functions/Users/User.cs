namespace Qraft.Users;

/// <summary>An account as stored. <see cref="Email"/> is the normalized address the user signed up with.</summary>
/// <param name="Id">Opaque identifier; users imported from the original keep its numeric primary key.</param>
/// <param name="EmailVerified">The owner followed a verification or reset link mailed to <see cref="Email"/>.</param>
/// <param name="PasswordHash">Django-format hash (<c>pbkdf2_sha256$…</c>); never logged, only shown to its owner.</param>
/// <param name="SessionEpoch">
/// Seconds since the Unix epoch before which no session of this account counts: access tokens with an earlier
/// <c>origIat</c> and refresh tokens stamped with an earlier epoch are refused (<see cref="ISessionRevocation"/>).
/// Zero for accounts stored before epochs existed; the sign-up second for new accounts, so tokens of a deleted
/// account never work for the same address registered again.
/// </param>
public sealed record User(
    string Id,
    string Email,
    string PasswordHash,
    DateTimeOffset DateJoined,
    DateTimeOffset? LastLogin,
    bool IsActive = true,
    bool EmailVerified = false,
    long SessionEpoch = 0);
