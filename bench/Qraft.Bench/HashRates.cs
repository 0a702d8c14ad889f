using System.Diagnostics;
using Qraft.Security.Pbkdf2;

namespace Qraft.Bench;

/// <summary>How fast a PBKDF2-HMAC-SHA256 engine hashes on this machine, on one thread or on many.</summary>
public static class HashRates
{
    /// <summary>Django's salt length (22 characters), as the app hashes with.</summary>
    private static readonly byte[] Salt = "0123456789abcdefghijkl"u8.ToArray();

    private static readonly byte[] Password = System.Text.Encoding.UTF8.GetBytes(Users.Password);

    /// <summary>Milliseconds for one hash on one thread (median of <paramref name="repeats"/>).</summary>
    public static double OneHashMs(IPbkdf2Sha256 engine, int iterations, int repeats)
    {
        Span<byte> derived = stackalloc byte[32];
        var times = new List<double>();
        for (var i = 0; i < repeats; i++)
        {
            var started = Stopwatch.GetTimestamp();
            engine.DeriveKey(Password, Salt, iterations, derived);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return times.Order().ElementAt(times.Count / 2);
    }

    /// <summary>
    /// Hashes per second with <paramref name="threads"/> threads hashing back to back for <paramref name="duration"/>,
    /// nothing else of the bench running. Each thread counts its own hashes over its own time to its last completed
    /// hash, so none is cut off mid-hash.
    /// </summary>
    public static double Sustained(IPbkdf2Sha256 engine, int iterations, int threads, TimeSpan duration)
    {
        var rates = new double[threads];
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            Span<byte> derived = stackalloc byte[32];
            var started = Stopwatch.GetTimestamp();
            var hashes = 0;
            while (Stopwatch.GetElapsedTime(started) < duration)
            {
                engine.DeriveKey(Password, Salt, iterations, derived);
                hashes++;
            }

            rates[t] = hashes / Stopwatch.GetElapsedTime(started).TotalSeconds;
        }) { Name = $"bench-hashing-{t}" }).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        return rates.Sum();
    }
}
