using System.Runtime.Serialization;
using Azure;
using Azure.Data.Tables;

namespace Qraft.Storage;

/// <summary>
/// The app's one key layout: every entity is alone in its partition, and its RowKey repeats its PartitionKey.
/// On Azure Table Storage any (PartitionKey, RowKey) pair is a point read; the repetition is for Azurite, the local
/// stack's storage. Azurite looks entities up with LokiJS, whose binary index serves only the first key of a lookup,
/// and Azurite asks for RowKey first: with a constant RowKey ("user") every read and insert scanned the whole table,
/// so the local stack slowed as it grew (login and <c>me</c> 16x slower at 30,000 users, bench/FINDINGS.md).
/// </summary>
internal abstract class SingleEntityPartition : ITableEntity
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>Sets both keys; not a stored property.</summary>
    [IgnoreDataMember]
    public string Key
    {
        get => PartitionKey;
        init => (PartitionKey, RowKey) = (value, value);
    }
}

/// <summary>Point operations in the <see cref="SingleEntityPartition"/> layout, so no call site spells out the pair.</summary>
internal static class SingleEntityPartitionTableClientExtensions
{
    public static async Task<T?> FindAsync<T>(
        this TableClient table, string key, CancellationToken cancellationToken, IEnumerable<string>? select = null)
        where T : SingleEntityPartition
    {
        var found = await table.GetEntityIfExistsAsync<T>(key, key, select, cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    public static Task<Response> DeleteAsync(this TableClient table, string key, CancellationToken cancellationToken) =>
        table.DeleteEntityAsync(key, key, ETag.All, cancellationToken);

    /// <summary>A merge of just these properties, as one unconditional write; a missing entity stays missing (404).</summary>
    public static Task<Response> MergeAsync(
        this TableClient table, string key, IEnumerable<KeyValuePair<string, object>> properties, CancellationToken cancellationToken)
    {
        var changes = new TableEntity(key, key);
        foreach (var (name, value) in properties)
        {
            changes[name] = value;
        }

        return table.UpdateEntityAsync(changes, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }
}
