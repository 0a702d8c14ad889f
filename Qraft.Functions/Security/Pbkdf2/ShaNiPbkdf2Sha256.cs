using System.Runtime.InteropServices;

namespace Qraft.Security.Pbkdf2;

/// <summary>
/// PBKDF2-HMAC-SHA256 on the x86 SHA extensions, in <c>libqraft_pbkdf2.so</c>: the project's build compiles it from
/// <c>qraft_pbkdf2.c</c> into the app's folder wherever a C compiler is present. Each iteration is two SHA-256
/// compressions and nothing else, against OpenSSL's two plus its per-call bookkeeping.
/// </summary>
internal sealed partial class ShaNiPbkdf2Sha256 : IPbkdf2Sha256
{
    public const string EngineName = "sha-ni";

    private const string Library = "qraft_pbkdf2";

    private ShaNiPbkdf2Sha256()
    {
    }

    public string Name => EngineName;

    /// <summary>RFC 7914 §11: PBKDF2-HMAC-SHA256(P = "passwd", S = "salt", c = 1, dkLen = 64), two output blocks.</summary>
    private static ReadOnlySpan<byte> KnownAnswer =>
    [
        0x55, 0xac, 0x04, 0x6e, 0x56, 0xe3, 0x08, 0x9f, 0xec, 0x16, 0x91, 0xc2, 0x25, 0x44, 0xb6, 0x05,
        0xf9, 0x41, 0x85, 0x21, 0x6d, 0xde, 0x04, 0x65, 0xe6, 0x8b, 0x9d, 0x57, 0xc2, 0x0d, 0xac, 0xbc,
        0x49, 0xca, 0x9c, 0xcc, 0xf1, 0x79, 0xb6, 0x45, 0x99, 0x16, 0x64, 0xb3, 0x9d, 0x77, 0xef, 0x31,
        0x7c, 0x71, 0xb8, 0x45, 0xb1, 0xe3, 0x0b, 0xd5, 0x09, 0x11, 0x20, 0x41, 0xd3, 0xa1, 0x97, 0x83,
    ];

    /// <summary>
    /// The engine, when the library loads, the CPU has what it executes (checked by the library itself, before
    /// any SHA instruction runs) and it reproduces the RFC's answer; otherwise <see langword="null"/> and why not.
    /// </summary>
    public static ShaNiPbkdf2Sha256? TryLoad(out string unavailable)
    {
        try
        {
            if (Supported() == 0)
            {
                unavailable = "this CPU lacks the SHA extensions or SSE4.1";
                return null;
            }
        }
        catch (DllNotFoundException)
        {
            unavailable = "libqraft_pbkdf2.so is not in the app's folder (it was built without a C compiler)";
            return null;
        }

        var engine = new ShaNiPbkdf2Sha256();
        Span<byte> answer = stackalloc byte[KnownAnswer.Length];
        engine.DeriveKey("passwd"u8, "salt"u8, 1, answer);
        unavailable = answer.SequenceEqual(KnownAnswer) ? "" : "libqraft_pbkdf2.so gave a wrong answer to RFC 7914's test vector";
        return unavailable.Length == 0 ? engine : null;
    }

    public void DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int iterations, Span<byte> destination)
    {
        // The library trusts its caller: a negative count would become billions of iterations, and 0 is not PBKDF2.
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        Derive(password, (nuint)password.Length, salt, (nuint)salt.Length, (uint)iterations, destination, (nuint)destination.Length);
    }

    [LibraryImport(Library, EntryPoint = "qraft_pbkdf2_sha256_supported")]
    private static partial int Supported();

    [LibraryImport(Library, EntryPoint = "qraft_pbkdf2_sha256")]
    private static partial void Derive(
        ReadOnlySpan<byte> password, nuint passwordBytes, ReadOnlySpan<byte> salt, nuint saltBytes, uint iterations, Span<byte> output, nuint outputBytes);
}
