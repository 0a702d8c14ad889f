namespace Qraft.Security;

/// <summary>Django's default password validators, applied at sign-up.</summary>
public interface IPasswordPolicy
{
    /// <summary>Every rule the password breaks, as Django words it; empty when the password is acceptable.</summary>
    IReadOnlyList<string> Validate(string password, string email);
}
