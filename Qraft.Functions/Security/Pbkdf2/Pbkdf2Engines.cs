using System.Runtime.InteropServices;

namespace Qraft.Security.Pbkdf2;

/// <summary>The engine a process hashes with, and why that one.</summary>
public sealed record Pbkdf2EngineChoice(IPbkdf2Sha256 Engine, string Reason);

/// <summary>Chooses the PBKDF2-HMAC-SHA256 engine: the SHA-NI library where it runs, the platform's everywhere else.</summary>
public static class Pbkdf2Engines
{
    public static Pbkdf2EngineChoice Choose(Pbkdf2EngineMode mode)
    {
        if (mode == Pbkdf2EngineMode.Platform)
        {
            return new(new PlatformPbkdf2Sha256(), "Qraft__PasswordHashing__Engine is platform");
        }

        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return new(new PlatformPbkdf2Sha256(), $"no faster engine for {RuntimeInformation.RuntimeIdentifier}");
        }

        return ShaNiPbkdf2Sha256.TryLoad(out var unavailable) is { } shaNi
            ? new(shaNi, "this CPU has the SHA extensions")
            : new(new PlatformPbkdf2Sha256(), unavailable);
    }
}
