namespace Qraft.Tests.Hostile;

/// <summary>
/// Measurements are recorded, not asserted (no timing assertions in tests): a test writes its report into the
/// directory named by QRAFT_BENCH_DIR when that is set (e.g. QRAFT_BENCH_DIR=$PWD/bench), and nowhere otherwise.
/// </summary>
internal static class BenchReport
{
    public static void TryWrite(string fileName, string content)
    {
        var directory = Environment.GetEnvironmentVariable("QRAFT_BENCH_DIR");
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, fileName), content);
        }
    }
}
