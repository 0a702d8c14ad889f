using System.Text.Json.Nodes;

namespace Qraft.Tests.Infrastructure;

/// <summary>Reads a replica's log folder while the replica may still be writing to it.</summary>
public static class LogFile
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    /// <summary>Every file in the folder, concatenated.</summary>
    public static string ReadAll(string folder) => string.Join('\n', Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(Read));

    /// <summary>The per-operation lines (event GraphQLOperation) in write order, once at least <paramref name="count"/> are there.</summary>
    public static async Task<IReadOnlyList<JsonObject>> WaitForOperationLinesAsync(string folder, int count)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (true)
        {
            var lines = OperationLines(folder);
            if (lines.Count >= count || deadline.IsCancellationRequested)
            {
                return lines;
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    private static List<JsonObject> OperationLines(string folder) =>
    [
        .. from file in Directory.GetFiles(folder).Order(StringComparer.Ordinal)
           let text = Read(file)
           from line in text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries) // whole lines only
           let json = JsonNode.Parse(line)!.AsObject()
           where json["EventId"]?["Name"]?.GetValue<string>() == "GraphQLOperation"
           select json,
    ];

    private static string Read(string path)
    {
        // The sink holds the file open for writing; share it rather than wait for the replica to stop.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
