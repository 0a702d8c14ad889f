namespace Qraft.Users;

/// <summary>An account as stored. <see cref="Email"/> is the normalized address the user signed up with.</summary>
/// <param name="Id">Opaque identifier; users imported from the original keep its numeric primary key.</param>
/// <param name="EmailVerified">The owner followed a verification or reset link mailed to <see cref="Email"/>.</param>
/// <param name="PasswordHash">Django-format hash (<c>pbkdf2_sha256$…</c>); never logged, only shown to its owner.</param>
public sealed record User(
    string Id,
    string Email,
    string PasswordHash,
    DateTimeOffset DateJoined,
    DateTimeOffset? LastLogin,
    bool IsActive = true,
    bool EmailVerified = false);
