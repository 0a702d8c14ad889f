using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Security.Cryptography;

namespace Qraft.Security.Pbkdf2;

/// <summary>
/// PBKDF2-HMAC-SHA256 on the Arm SHA-256 instructions, through .NET's intrinsics: the same scheme as the SHA-NI
/// library (the HMAC pad states once, then two compressions per iteration with the digest and its fixed padding kept
/// as vectors), in managed code because .NET exposes these instructions and not x86's.
/// </summary>
internal sealed class Arm64Pbkdf2Sha256 : IPbkdf2Sha256
{
    public const string EngineName = "arm64-sha2";

    private const int BlockBytes = 64;
    private const int DigestBytes = 32;

    public static bool IsSupported => Sha256.IsSupported;

    public string Name => EngineName;

    /// <summary>Words 8 to 15 of the block after a pad state: a 32-byte digest, 0x80, zeros, then its length in bits (64 + 32 bytes).</summary>
    private static Vector128<uint> DigestPadding => Vector128.Create(0x80000000u, 0, 0, 0);

    private static Vector128<uint> DigestLength => Vector128.Create(0u, 0, 0, (BlockBytes + DigestBytes) * 8);

    private static ReadOnlySpan<uint> RoundConstants =>
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    private static State Initial =>
        new(Vector128.Create(0x6a09e667u, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a), Vector128.Create(0x510e527fu, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19));

    public void DeriveKey(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int iterations, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);

        // HMAC's key: the password, or its digest when longer than a block, zero-padded to a block.
        Span<byte> key = stackalloc byte[BlockBytes];
        key.Clear();
        if (password.Length > BlockBytes)
        {
            Store(Hash(Initial, 0, password, []), key);
        }
        else
        {
            password.CopyTo(key);
        }

        var inner = PadState(key, 0x36);
        var outer = PadState(key, 0x5c);
        CryptographicOperations.ZeroMemory(key);

        Span<byte> last = stackalloc byte[DigestBytes];
        Span<byte> index = stackalloc byte[4];
        for (uint block = 1; !destination.IsEmpty; block++)
        {
            // U1 = HMAC(key, salt || INT(block)); then U(j+1) = HMAC(key, U(j)), and the block is their XOR.
            BinaryPrimitives.WriteUInt32BigEndian(index, block);
            var u = CompressDigest(outer, Hash(inner, BlockBytes, salt, index));
            var sum = u;
            for (var j = 1; j < iterations; j++)
            {
                u = CompressDigest(outer, CompressDigest(inner, u));
                sum = new State(sum.Abcd ^ u.Abcd, sum.Efgh ^ u.Efgh);
            }

            Store(sum, last);
            var written = Math.Min(DigestBytes, destination.Length);
            last[..written].CopyTo(destination);
            destination = destination[written..];
        }

        CryptographicOperations.ZeroMemory(last);
    }

    private static State PadState(ReadOnlySpan<byte> key, byte pad)
    {
        Span<byte> padded = stackalloc byte[BlockBytes];
        for (var i = 0; i < BlockBytes; i++)
        {
            padded[i] = (byte)(key[i] ^ pad);
        }

        var state = CompressBytes(Initial, padded);
        CryptographicOperations.ZeroMemory(padded);
        return state;
    }

    /// <summary>
    /// SHA-256 of <paramref name="message"/> then <paramref name="suffix"/> (at most 4 bytes), continuing from
    /// <paramref name="state"/> after <paramref name="hashedBefore"/> bytes: a long password's digest, and the inner hash
    /// of salt || INT(block) after the inner pad state. Its own, so this engine needs no OpenSSL.
    /// </summary>
    private static State Hash(State state, int hashedBefore, ReadOnlySpan<byte> message, ReadOnlySpan<byte> suffix)
    {
        var whole = message.Length - (message.Length % BlockBytes);
        for (var offset = 0; offset < whole; offset += BlockBytes)
        {
            state = CompressBytes(state, message.Slice(offset, BlockBytes));
        }

        // The rest of the message (up to 63 bytes), the suffix, 0x80 and the 8-byte length fill one or two blocks.
        Span<byte> tail = stackalloc byte[2 * BlockBytes];
        tail.Clear();
        var rest = message[whole..];
        rest.CopyTo(tail);
        suffix.CopyTo(tail[rest.Length..]);
        tail[rest.Length + suffix.Length] = 0x80;
        var tailBytes = rest.Length + suffix.Length + 1 + 8 <= BlockBytes ? BlockBytes : 2 * BlockBytes;
        BinaryPrimitives.WriteUInt64BigEndian(tail[(tailBytes - 8)..], (ulong)(hashedBefore + message.Length + suffix.Length) * 8);
        for (var offset = 0; offset < tailBytes; offset += BlockBytes)
        {
            state = CompressBytes(state, tail.Slice(offset, BlockBytes));
        }

        CryptographicOperations.ZeroMemory(tail);
        return state;
    }

    private static State CompressBytes(State state, ReadOnlySpan<byte> block) =>
        Compress(state, Words(block), Words(block[16..]), Words(block[32..]), Words(block[48..]));

    /// <summary>A digest's words are the message words of the block that follows a pad state.</summary>
    private static State CompressDigest(State padState, State digest) =>
        Compress(padState, digest.Abcd, digest.Efgh, DigestPadding, DigestLength);

    private static State Compress(State state, Vector128<uint> w0, Vector128<uint> w1, Vector128<uint> w2, Vector128<uint> w3)
    {
        var (abcd, efgh) = (state.Abcd, state.Efgh);
        FourRounds(ref abcd, ref efgh, w0, 0);
        FourRounds(ref abcd, ref efgh, w1, 1);
        FourRounds(ref abcd, ref efgh, w2, 2);
        FourRounds(ref abcd, ref efgh, w3, 3);
        for (var quad = 4; quad < 16; quad++)
        {
            var w4 = Sha256.ScheduleUpdate1(Sha256.ScheduleUpdate0(w0, w1), w2, w3);
            FourRounds(ref abcd, ref efgh, w4, quad);
            (w0, w1, w2, w3) = (w1, w2, w3, w4);
        }

        return new State(abcd + state.Abcd, efgh + state.Efgh);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FourRounds(ref Vector128<uint> abcd, ref Vector128<uint> efgh, Vector128<uint> words, int quad)
    {
        var wk = words + Vector128.Create(RoundConstants.Slice(4 * quad, 4));
        var before = abcd;
        abcd = Sha256.HashUpdate1(abcd, efgh, wk);
        efgh = Sha256.HashUpdate2(efgh, before, wk);
    }

    private static Vector128<uint> Words(ReadOnlySpan<byte> bytes) => Vector128.Create(
        BinaryPrimitives.ReadUInt32BigEndian(bytes),
        BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]),
        BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]),
        BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]));

    private static void Store(State state, Span<byte> output)
    {
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(output[(4 * i)..], state.Abcd[i]);
            BinaryPrimitives.WriteUInt32BigEndian(output[(16 + (4 * i))..], state.Efgh[i]);
        }
    }

    /// <summary>SHA-256's eight state words as the Arm instructions take them: A to D and E to H, first word in lane 0.</summary>
    private readonly record struct State(Vector128<uint> Abcd, Vector128<uint> Efgh);
}
