using System.Security.Cryptography;
using CsCheck;
using Qraft.Security.Pbkdf2;
using Qraft.Tests.Infrastructure;
using Qraft.Tests.Stack;

namespace Qraft.Tests.Security;

/// <summary>
/// The Arm SHA-256 engine on a real arm64 .NET runtime: the engines alone (Security/Pbkdf2Probe), published for
/// linux-arm64 and run under Debian's qemu-user-static, which executes the SHA-256 instructions of an emulated CPU.
/// </summary>
public sealed class Arm64EngineTests(Arm64EngineTests.Probe probe) : IClassFixture<Arm64EngineTests.Probe>
{
    [Fact]
    public async Task OnAnArmCpuWithSha256TheArmEngineMatchesThePlatformByteForByte()
    {
        var cases = new List<(byte[] Password, byte[] Salt, int Iterations, int Length)>
        {
            ("passwd"u8.ToArray(), "salt"u8.ToArray(), 1, 64),
            ("Password"u8.ToArray(), "NaCl"u8.ToArray(), 80_000, 64),
        };
        // Around HMAC's 64-byte key block (longer passwords are hashed first, 119/120 at that hash's padding edge) and
        // the padding edges of salt + block index after the pad block (51/52, 115/116).
        foreach (var passwordLength in new[] { 0, 1, 55, 63, 64, 65, 119, 120, 200 })
        {
            foreach (var saltLength in new[] { 0, 22, 51, 52, 55, 56, 63, 64, 115, 116, 130 })
            {
                cases.Add((Bytes(passwordLength, 5), Bytes(saltLength, 9), 3, 33));
            }
        }

        cases.AddRange(Enumerable.Range(1, 129).Select(length => ("correct horse"u8.ToArray(), "seasalt"u8.ToArray(), 2, length)));
        Gen.Select(Gen.Byte.Array[0, 160], Gen.Byte.Array[0, 160], Gen.Int[1, 100], Gen.Int[1, 100])
            .Sample((password, salt, iterations, length) => cases.Add((password, salt, iterations, length)), iter: 1_000, threads: 1);

        var (engine, derived) = await probe.RunAsync(cases.Select(c => $"{Convert.ToHexString(c.Password)} {Convert.ToHexString(c.Salt)} {c.Iterations} {c.Length}"));

        Assert.StartsWith($"{Arm64Pbkdf2Sha256.EngineName}: ", engine, StringComparison.Ordinal);
        Assert.Equal(cases.Count, derived.Count);
        foreach (var ((password, salt, iterations, length), hex) in cases.Zip(derived))
        {
            var expected = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, length);
            Assert.True(Convert.ToHexStringLower(expected) == hex, $"password {password.Length} B, salt {salt.Length} B, {iterations} iterations, {length} B");
        }
    }

    [Fact]
    public async Task OnAnArmCpuWithoutSha256ThePlatformEngineIsChosenAndSaysWhy()
    {
        // The runtime's switch for the instructions, as a CPU without them would report.
        var (engine, _) = await probe.RunAsync([], new Dictionary<string, string> { ["DOTNET_EnableArm64Sha256"] = "0" });

        Assert.Equal($"{PlatformPbkdf2Sha256.EngineName}: this CPU lacks the Arm SHA-256 instructions", engine);
    }

    private static byte[] Bytes(int length, int seed) => [.. Enumerable.Range(0, length).Select(i => (byte)((i * seed) + 1))];

    /// <summary>The probe, published once for the class into a temporary folder removed afterwards.</summary>
    public sealed class Probe : IAsyncLifetime
    {
        private const string Qemu = "/usr/bin/qemu-aarch64-static";
        private const string ArmLibraries = "/usr/aarch64-linux-gnu";

        private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("qraft-arm64-");

        private string _executable = "";

        public async Task InitializeAsync()
        {
            if (!File.Exists(Qemu) || !Directory.Exists(ArmLibraries))
            {
                throw new FileNotFoundException(
                    "qemu-user-static and the arm64 C libraries are missing; apt-get install qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross (local/test does).");
            }

            var project = RepoPaths.Of("Qraft.Tests", "Security", "Pbkdf2Probe", "Pbkdf2Probe.csproj");
            var publish = await Command.RunAsync(
                "dotnet",
                ["publish", project, "-c", "Release", "-r", "linux-arm64", "--self-contained", "--artifacts-path", _folder.FullName, "--nologo"],
                timeout: TimeSpan.FromMinutes(10));
            Assert.True(publish.ExitCode == 0, publish.ToString());
            _executable = Path.Combine(_folder.FullName, "publish", "Pbkdf2Probe", "release_linux-arm64", "Pbkdf2Probe");
        }

        /// <returns>The probe's first line (engine: reason) and one derived key in hex per case.</returns>
        public async Task<(string Engine, List<string> Derived)> RunAsync(IEnumerable<string> cases, Dictionary<string, string>? environment = null)
        {
            var casesFile = Path.Combine(_folder.FullName, $"cases-{Guid.NewGuid():N}.txt");
            await File.WriteAllLinesAsync(casesFile, cases);
            var run = await Command.RunAsync(Qemu, ["-cpu", "max", "-L", ArmLibraries, _executable, casesFile], environment, timeout: TimeSpan.FromMinutes(3));
            Assert.True(run.ExitCode == 0, run.ToString());
            var lines = run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return (lines[0], [.. lines.Skip(1)]);
        }

        public Task DisposeAsync()
        {
            _folder.Delete(recursive: true);
            return Task.CompletedTask;
        }
    }
}
