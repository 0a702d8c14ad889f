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

    /// <summary>
    /// The engine, when the library loads and the CPU has what it executes (checked by the library itself, before any
    /// SHA instruction runs); otherwise <see langword="null"/> and why not.
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

        unavailable = "";
        return new ShaNiPbkdf2Sha256();
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
