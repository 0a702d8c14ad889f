using Azure;
using Azure.Data.Tables;

namespace Qraft.Storage;

/// <summary>
/// Named leases in the leases table. A lease is taken for a period and never released: it lapses. Work done only by
/// whoever takes the lease therefore runs at most once per period across every replica, by the first to ask after
/// it lapsed, and a replica that dies holding it blocks nobody for longer than the period.
/// </summary>
internal sealed class StorageLeases(StorageTables tables)
{
    /// <param name="holder">Who took it, for whoever reads the table; not part of the rule.</param>
    public Task<bool> TryTakeAsync(string name, string holder, DateTimeOffset now, TimeSpan period, CancellationToken cancellationToken) =>
        tables.Leases.RunAsync(
            "take",
            async (table, token) =>
            {
                var current = await table.FindAsync<LeaseEntity>(name, token);
                var taken = new LeaseEntity { Key = name, Holder = holder, Until = now + period };
                try
                {
                    if (current is null)
                    {
                        await table.AddEntityAsync(taken, token);
                    }
                    else if (current.Until <= now)
                    {
                        await table.UpdateEntityAsync(taken, current.ETag, TableUpdateMode.Replace, token);
                    }
                    else
                    {
                        return false;
                    }

                    return true;
                }
                catch (RequestFailedException raced) when (raced.Status is 409 or 412)
                {
                    // Another replica took it between our read and our write.
                    return false;
                }
            },
            cancellationToken);

    private sealed class LeaseEntity : SingleEntityPartition
    {
        public string Holder { get; set; } = "";

        public DateTimeOffset Until { get; set; }
    }
}
