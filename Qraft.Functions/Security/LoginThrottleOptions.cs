namespace Qraft.Security;

/// <summary>
/// Failed-login limits (<c>Qraft__Throttle__*</c>). Each account and each client address has a fixed window that
/// opens at its first failure and lasts <see cref="Window"/>; once the failures in the open window reach the maximum,
/// logins are refused until the window closes. The next failure after that opens a new window.
/// </summary>
public sealed class LoginThrottleOptions
{
    public const string SectionName = "Qraft:Throttle";

    public int MaxFailuresPerAccount { get; set; } = 5;

    /// <summary>Higher than per account: many users can share one address (NAT, office proxy).</summary>
    public int MaxFailuresPerAddress { get; set; } = 20;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);
}
