using Qraft.Security.Pbkdf2;

namespace Qraft.Tests.Security;

/// <summary>The engines a test can run on this machine: always the platform's, and the one the app would choose.</summary>
internal static class Pbkdf2Engine
{
    public static IPbkdf2Sha256 Chosen { get; } = Pbkdf2Engines.Choose(Pbkdf2EngineMode.Auto).Engine;

    public static TheoryData<string> Names => new([.. new[] { PlatformPbkdf2Sha256.EngineName, Chosen.Name }.Distinct()]);

    public static IPbkdf2Sha256 Named(string name) => name == Chosen.Name ? Chosen : new PlatformPbkdf2Sha256();
}
