namespace Qraft.Security;

/// <summary>Settings for new password hashes (section <c>Qraft</c>).</summary>
public sealed class PasswordHashingOptions
{
    public const string SectionName = "Qraft";

    /// <summary>OWASP's 2023 floor for PBKDF2-HMAC-SHA256, and Django 4.2's default.</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>
    /// Stored hashes asking for more than this are treated as corrupt: a tampered row must not be able to
    /// make one login burn seconds of CPU. Django 6.2 uses 1,800,000, so this leaves ample headroom.
    /// </summary>
    public const int MaxIterations = 10_000_000;

    /// <summary>PBKDF2-SHA256 iterations for new hashes (<c>Qraft__PasswordIterations</c>).</summary>
    public int PasswordIterations { get; set; }
}
