using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;

namespace Qraft.Bench;

/// <summary>
/// Bench accounts written straight into the stack's users table, in the layout TableUserStore reads (one entity per
/// partition, the lower-case email as both PartitionKey and RowKey), with Django pbkdf2_sha256 hashes made here at the replicas' iteration count so a
/// login never pays for an upgrade re-hash. One precomputed hash serves every account of a count.
/// </summary>
public sealed class Users(Stack stack)
{
    public const string Password = "kV9#tq2!Lm4zR-bench";

    /// <summary>Bounded, so Azurite (about 1,600 writes a second here) is kept busy but not flooded.</summary>
    private const int ParallelInserts = 16;

    private readonly TableClient _table = new(stack.AzuriteConnection, "users");

    public static string Email(string prefix, int n) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{n}@bench.example");

    /// <summary>Django's encoding: algorithm$iterations$salt$base64(derived key).</summary>
    public static string DjangoHash(int iterations)
    {
        var salt = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 22);
        var derived = Rfc2898DeriveBytes.Pbkdf2(Password, Encoding.UTF8.GetBytes(salt), iterations, HashAlgorithmName.SHA256, 32);
        return string.Create(CultureInfo.InvariantCulture, $"pbkdf2_sha256${iterations}${salt}${Convert.ToBase64String(derived)}");
    }

    /// <summary>Upserts accounts <paramref name="from"/>..<paramref name="to"/>-1; returns the rate in inserts per second.</summary>
    public async Task<double> SeedAsync(string prefix, int from, int to, int iterations)
    {
        await _table.CreateIfNotExistsAsync();
        var hash = DjangoHash(iterations);
        var joined = DateTimeOffset.UtcNow;
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(
            Enumerable.Range(from, to - from),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelInserts },
            async (n, token) =>
            {
                var email = Email(prefix, n);
                var entity = new TableEntity(email, email)
                {
                    ["Id"] = Guid.CreateVersion7().ToString("N"),
                    ["Email"] = email,
                    ["PasswordHash"] = hash,
                    ["DateJoined"] = joined,
                    ["IsActive"] = true,
                };
                await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, token);
            });
        return (to - from) / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
