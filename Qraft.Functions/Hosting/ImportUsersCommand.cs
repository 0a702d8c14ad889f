using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Qraft.Storage;
using Qraft.Users;

namespace Qraft.Hosting;

/// <summary>
/// <c>dotnet Qraft.Functions.dll import-users &lt;dumpdata.json&gt;</c>: imports the original's users into the
/// configured Table Storage (same <c>TableStorage</c> setting as the app) and prints what it did.
/// </summary>
public static class ImportUsersCommand
{
    public const string Name = "import-users";

    public static bool Matches(string[] args) => args.Length > 0 && args[0] == Name;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        if (args.Length < 2 || args[1].StartsWith("--", StringComparison.Ordinal))
        {
            await errors.WriteLineAsync($"usage: dotnet Qraft.Functions.dll {Name} <dumpdata.json> [--TableStorage <connection>]");
            return 64;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args[2..] });
        builder.AddQraftStorage();
        builder.Services.AddSingleton<DjangoUserImport>();
        using var host = builder.Build();

        await using var file = File.OpenRead(args[1]);
        var report = await host.Services.GetRequiredService<DjangoUserImport>().ImportAsync(file, cancellationToken);
        foreach (var rejection in report.Rejected)
        {
            await errors.WriteLineAsync($"rejected {rejection}");
        }

        await output.WriteLineAsync($"imported {report.Imported}, unchanged {report.Unchanged}, rejected {report.Rejected.Count}");
        return report.Rejected.Count == 0 ? 0 : 1;
    }
}
