namespace Qraft.Security;

public enum PasswordCheck
{
    Failed,
    Succeeded,

    /// <summary>Correct, but stored with weaker parameters than configured: the caller should store a fresh hash.</summary>
    SucceededNeedsRehash,
}

/// <summary>Django-compatible password hashing (<c>algorithm$iterations$salt$hash</c>).</summary>
public interface IPasswordHasher
{
    /// <summary>A new hash with the configured algorithm, iteration count and a fresh 22-character salt.</summary>
    string Hash(string password);

    /// <summary>
    /// Checks <paramref name="password"/> against <paramref name="encoded"/>. A <see langword="null"/> or unusable
    /// <paramref name="encoded"/> still costs one hash at the configured strength, so unknown accounts take as long as known ones.
    /// </summary>
    PasswordCheck Verify(string password, string? encoded);
}
