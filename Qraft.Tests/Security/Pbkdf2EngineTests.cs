using System.Runtime.InteropServices;
using System.Security.Cryptography;
using CsCheck;
using Qraft.Security.Pbkdf2;

namespace Qraft.Tests.Security;

/// <summary>Every engine against .NET's Rfc2898DeriveBytes (OpenSSL here) and the RFC's own answers.</summary>
public sealed class Pbkdf2EngineTests
{
    public static TheoryData<string> Engines => Pbkdf2Engine.Names;

    /// <summary>RFC 7914 §11, the published PBKDF2-HMAC-SHA256 vectors: (P, S, c, dkLen = 64).</summary>
    public static TheoryData<string, string, string, int, string> Rfc7914Vectors
    {
        get
        {
            var vectors = new TheoryData<string, string, string, int, string>();
            foreach (var engine in Pbkdf2Engine.Names)
            {
                vectors.Add(engine, "passwd", "salt", 1,
                    "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
                vectors.Add(engine, "Password", "NaCl", 80_000,
                    "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d");
            }

            return vectors;
        }
    }

    [Theory]
    [MemberData(nameof(Rfc7914Vectors))]
    public void Rfc7914VectorsComeOutAsPublished(string engine, string password, string salt, int iterations, string expectedHex)
    {
        var derived = new byte[64];

        Pbkdf2Engine.Named(engine).DeriveKey(System.Text.Encoding.ASCII.GetBytes(password), System.Text.Encoding.ASCII.GetBytes(salt), iterations, derived);

        Assert.Equal(expectedHex, Convert.ToHexStringLower(derived));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void EdgesOfTheInputMatchThePlatformByteForByte(string engine)
    {
        // Passwords around HMAC's 64-byte block (longer ones are hashed first; 119/120 at that hash's padding edge),
        // salts where salt + the 4-byte block index after the pad block cross SHA-256's padding edge (51/52, 115/116),
        // empty inputs, and outputs of 1 to 100 bytes, so from a part of one 32-byte block to four blocks.
        int[] passwordLengths = [0, 1, 31, 32, 55, 56, 63, 64, 65, 119, 120, 128, 1000];
        int[] saltLengths = [0, 1, 22, 51, 52, 55, 56, 60, 64, 115, 116, 119, 120, 200];
        var cases = 0;
        foreach (var passwordLength in passwordLengths)
        {
            foreach (var saltLength in saltLengths)
            {
                foreach (var (iterations, outputLength) in new[] { (1, 32), (2, 1), (3, 33), (5, 64), (2, 100) })
                {
                    AssertMatchesPlatform(engine, Bytes(passwordLength, 7), Bytes(saltLength, 11), iterations, outputLength);
                    cases++;
                }
            }
        }

        Assert.Equal(passwordLengths.Length * saltLengths.Length * 5, cases);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void EveryOutputLengthUpToFourBlocksMatchesThePlatform(string engine)
    {
        for (var length = 1; length <= 4 * 32 + 1; length++)
        {
            AssertMatchesPlatform(engine, "correct horse"u8.ToArray(), "seasalt"u8.ToArray(), 7, length);
        }
    }

    [Fact]
    public void RandomPasswordsSaltsIterationsAndLengthsMatchThePlatform()
    {
        Gen.Select(Gen.Byte.Array[0, 160], Gen.Byte.Array[0, 160], Gen.Int[1, 300], Gen.Int[1, 100])
            .Sample((password, salt, iterations, length) => AssertMatchesPlatform(Pbkdf2Engine.Chosen.Name, password, salt, iterations, length), iter: 5_000);
    }

    [Fact]
    public void RandomCasesAtDjangosShapeMatchThePlatform()
    {
        // What the app derives: a UTF-8 password, a 22-character salt, 32 bytes; at iteration counts near real ones.
        Gen.Select(Gen.String[0, 100], Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"], 22, 22], Gen.Int[1, 20_000])
            .Sample((password, salt, iterations) => AssertMatchesPlatform(
                Pbkdf2Engine.Chosen.Name, System.Text.Encoding.UTF8.GetBytes(password), System.Text.Encoding.UTF8.GetBytes(salt), iterations, 32), iter: 300);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void FewerThanOneIterationIsRefusedLikeThePlatform(string engine)
    {
        var derived = new byte[32];

        Assert.Throws<ArgumentOutOfRangeException>(() => Pbkdf2Engine.Named(engine).DeriveKey("p"u8, "s"u8, 0, derived));
        Assert.Throws<ArgumentOutOfRangeException>(() => Pbkdf2Engine.Named(engine).DeriveKey("p"u8, "s"u8, -1, derived));
        Assert.Equal(new byte[32], derived);
    }

    [Fact]
    public void TheFastEngineIsChosenExactlyWhereTheCpuHasTheSha256Instructions()
    {
        // The kernel's view of the CPU ("sha_ni" on x86, "sha2" on Arm), independent of the engines' own checks.
        var flags = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("flags", StringComparison.Ordinal) || l.StartsWith("Features", StringComparison.Ordinal))
            .Split(':', 2)[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var expected = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 when flags.Contains("sha_ni") && flags.Contains("sse4_1") => ShaNiPbkdf2Sha256.EngineName,
            Architecture.Arm64 when flags.Contains("sha2") => Arm64Pbkdf2Sha256.EngineName,
            _ => PlatformPbkdf2Sha256.EngineName,
        };

        var choice = Pbkdf2Engines.Choose(Pbkdf2EngineMode.Auto);

        Assert.True(choice.Engine.Name == expected, $"expected {expected}, chose {choice.Engine.Name}: {choice.Reason}");
    }

    [Fact]
    public void PlatformIsChosenWhenTheSettingAsksForIt()
    {
        var choice = Pbkdf2Engines.Choose(Pbkdf2EngineMode.Platform);

        Assert.IsType<PlatformPbkdf2Sha256>(choice.Engine);
        Assert.Contains("Qraft__PasswordHashing__Engine", choice.Reason, StringComparison.Ordinal);
    }

    private static void AssertMatchesPlatform(string engine, byte[] password, byte[] salt, int iterations, int length)
    {
        var expected = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, length);
        var derived = new byte[length];

        Pbkdf2Engine.Named(engine).DeriveKey(password, salt, iterations, derived);

        Assert.True(expected.AsSpan().SequenceEqual(derived), $"{engine}: password {password.Length} B, salt {salt.Length} B, {iterations} iterations, {length} B");
    }

    private static byte[] Bytes(int length, int seed) => [.. Enumerable.Range(0, length).Select(i => (byte)((i * seed) + 3))];
}
