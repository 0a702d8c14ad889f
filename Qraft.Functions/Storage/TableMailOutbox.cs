using Azure;
using Azure.Data.Tables;
using Qraft.Mail;

namespace Qraft.Storage;

/// <summary>
/// The outbox in one partition: it holds only mail not yet delivered (a handful of rows), so "what is due" is one
/// partition query. Row keys are version-7 GUIDs, so older mail comes first.
/// </summary>
internal sealed class TableMailOutbox(StorageTables tables, TimeProvider time) : IMailOutbox
{
    private const string Partition = "outbox";

    public Task<ClaimedMail> AddClaimedAsync(OutgoingMail? mail, DateTimeOffset retryAt, CancellationToken cancellationToken) =>
        tables.MailOutbox.RunAsync(
            "add",
            async (table, cancel) =>
            {
                var id = Guid.CreateVersion7().ToString("N");
                await table.AddEntityAsync(
                    new MailEntity { RowKey = id, To = mail?.To, Subject = mail?.Subject, Text = mail?.Text, NextAttemptAt = retryAt, Attempts = 1 },
                    cancel);
                return new ClaimedMail(id, mail, Attempts: 1);
            },
            cancellationToken);

    public Task<IReadOnlyList<string>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        tables.MailOutbox.RunAsync<IReadOnlyList<string>>(
            "due",
            async (table, cancel) =>
            {
                var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and NextAttemptAt le {now}");
                var due = new List<string>();
                await foreach (var entity in table.QueryAsync<MailEntity>(filter, max, [nameof(MailEntity.RowKey)], cancel))
                {
                    due.Add(entity.RowKey);
                    if (due.Count == max)
                    {
                        break;
                    }
                }

                return due;
            },
            cancellationToken);

    public Task<ClaimedMail?> ClaimAsync(string id, Func<int, DateTimeOffset> retryAt, CancellationToken cancellationToken) =>
        tables.MailOutbox.RunAsync<ClaimedMail?>(
            "claim",
            async (table, cancel) =>
            {
                var found = await table.GetEntityIfExistsAsync<MailEntity>(Partition, id, cancellationToken: cancel);
                if (!found.HasValue || found.Value is not { } entity || entity.NextAttemptAt > time.GetUtcNow())
                {
                    return null;
                }

                entity.Attempts++;
                entity.NextAttemptAt = retryAt(entity.Attempts);
                try
                {
                    await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancel);
                }
                catch (RequestFailedException lost) when (lost.Status is 404 or 412)
                {
                    return null;
                }

                var mail = entity.To is null ? null : new OutgoingMail(entity.To, entity.Subject ?? "", entity.Text ?? "");
                return new ClaimedMail(id, mail, entity.Attempts);
            },
            cancellationToken);

    public Task RemoveAsync(string id, CancellationToken cancellationToken) =>
        tables.MailOutbox.RunAsync(
            "remove",
            async (table, cancel) =>
            {
                try
                {
                    await table.DeleteEntityAsync(Partition, id, ETag.All, cancel);
                }
                catch (RequestFailedException gone) when (gone.Status == 404)
                {
                    // Removed already (a placeholder another pass dropped); nothing to do.
                }
            },
            cancellationToken);

    private sealed class MailEntity : ITableEntity
    {
        public string PartitionKey { get; set; } = Partition;

        public string RowKey { get; set; } = "";

        public DateTimeOffset? Timestamp { get; set; }

        public ETag ETag { get; set; }

        /// <summary>Null for a placeholder (see <see cref="IMailOutbox.AddClaimedAsync"/>).</summary>
        public string? To { get; set; }

        public string? Subject { get; set; }

        public string? Text { get; set; }

        public DateTimeOffset NextAttemptAt { get; set; }

        public int Attempts { get; set; }
    }
}
