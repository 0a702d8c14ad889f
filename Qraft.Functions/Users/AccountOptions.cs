namespace Qraft.Users;

/// <summary>Account rules from configuration (section "Qraft").</summary>
public sealed class AccountOptions
{
    /// <summary>Accounts allowed to list users (<c>Qraft__StaffEmails__0</c>, …); compared case-insensitively.</summary>
    public List<string> StaffEmails { get; set; } = [];

    public bool IsStaff(string email) => StaffEmails.Exists(s => string.Equals(s.Trim(), email, StringComparison.OrdinalIgnoreCase));
}
