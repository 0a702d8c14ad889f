using System.Runtime.InteropServices;

namespace Qraft.Security.Pbkdf2;

/// <summary>The engine a process hashes with, and why that one.</summary>
public sealed record Pbkdf2EngineChoice(IPbkdf2Sha256 Engine, string Reason);

/// <summary>
/// Chooses the PBKDF2-HMAC-SHA256 engine: the SHA-NI library on x86-64 Linux, the Arm SHA-256 instructions on arm64,
/// where the CPU has them and the engine reproduces RFC 7914's answer; the platform's everywhere else.
/// </summary>
public static class Pbkdf2Engines
{
    /// <summary>RFC 7914 §11: PBKDF2-HMAC-SHA256(P = "passwd", S = "salt", c = 1, dkLen = 64), two output blocks.</summary>
    private static ReadOnlySpan<byte> KnownAnswer =>
    [
        0x55, 0xac, 0x04, 0x6e, 0x56, 0xe3, 0x08, 0x9f, 0xec, 0x16, 0x91, 0xc2, 0x25, 0x44, 0xb6, 0x05,
        0xf9, 0x41, 0x85, 0x21, 0x6d, 0xde, 0x04, 0x65, 0xe6, 0x8b, 0x9d, 0x57, 0xc2, 0x0d, 0xac, 0xbc,
        0x49, 0xca, 0x9c, 0xcc, 0xf1, 0x79, 0xb6, 0x45, 0x99, 0x16, 0x64, 0xb3, 0x9d, 0x77, 0xef, 0x31,
        0x7c, 0x71, 0xb8, 0x45, 0xb1, 0xe3, 0x0b, 0xd5, 0x09, 0x11, 0x20, 0x41, 0xd3, 0xa1, 0x97, 0x83,
    ];

    public static Pbkdf2EngineChoice Choose(Pbkdf2EngineMode mode)
    {
        if (mode == Pbkdf2EngineMode.Platform)
        {
            return new(new PlatformPbkdf2Sha256(), "Qraft__PasswordHashing__Engine is platform");
        }

        var (fast, reason) = Fast();
        if (fast is null)
        {
            return new(new PlatformPbkdf2Sha256(), reason);
        }

        Span<byte> answer = stackalloc byte[KnownAnswer.Length];
        fast.DeriveKey("passwd"u8, "salt"u8, 1, answer);
        return answer.SequenceEqual(KnownAnswer)
            ? new(fast, reason)
            : new(new PlatformPbkdf2Sha256(), $"the {fast.Name} engine gave a wrong answer to RFC 7914's test vector");
    }

    private static (IPbkdf2Sha256? Engine, string Reason) Fast()
    {
        switch (RuntimeInformation.ProcessArchitecture)
        {
            case Architecture.X64 when OperatingSystem.IsLinux():
                var shaNi = ShaNiPbkdf2Sha256.TryLoad(out var unavailable);
                return (shaNi, shaNi is null ? unavailable : "this CPU has the SHA extensions");
            case Architecture.Arm64:
                return Arm64Pbkdf2Sha256.IsSupported
                    ? (new Arm64Pbkdf2Sha256(), "this CPU has the Arm SHA-256 instructions")
                    : (null, "this CPU lacks the Arm SHA-256 instructions");
            default:
                return (null, $"no faster engine for {RuntimeInformation.RuntimeIdentifier}");
        }
    }
}
