namespace Qraft.Users;

/// <summary>Account rules from configuration (section "Qraft").</summary>
public sealed class AccountOptions
{
    /// <summary>Accounts allowed to list users (<c>Qraft__StaffEmails__0</c>, …); compared case-insensitively.</summary>
    public List<string> StaffEmails { get; set; } = [];

    /// <summary>How long a replica may answer token-authenticated reads from its own copy of an account; zero: never.</summary>
    public TimeSpan UserCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Refuse logins of accounts that have not followed their verification link (<c>Qraft__RequireVerifiedEmail</c>,
    /// EMAIL_NOT_VERIFIED). Off by default, as the original had no verification.
    /// </summary>
    public bool RequireVerifiedEmail { get; set; }

    public bool IsStaff(string email) => StaffEmails.Exists(s => string.Equals(s.Trim(), email, StringComparison.OrdinalIgnoreCase));
}
