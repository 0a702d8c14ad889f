namespace Qraft.Security.Pbkdf2;

public enum Pbkdf2EngineMode
{
    /// <summary>The fastest engine this machine runs correctly, else the platform's.</summary>
    Auto,

    /// <summary>Always .NET's own PBKDF2, to compare with or to rule the native library out.</summary>
    Platform,
}

/// <summary>Which PBKDF2-HMAC-SHA256 engine hashes passwords (section <c>Qraft:PasswordHashing</c>).</summary>
public sealed class Pbkdf2EngineOptions
{
    public const string SectionName = "Qraft:PasswordHashing";

    /// <summary><c>Qraft__PasswordHashing__Engine</c>: <c>auto</c> or <c>platform</c>.</summary>
    public Pbkdf2EngineMode Engine { get; set; }
}
