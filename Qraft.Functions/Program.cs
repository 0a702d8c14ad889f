using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Qraft.Hosting;

// One composition root, two hosts (SPEC §2): launched by the Functions host this is an isolated worker; started
// directly it serves the same function classes on Kestrel. The same build also imports the original's users.
var environment = new ConfigurationBuilder().AddEnvironmentVariables().Build();
try
{
    if (ImportUsersCommand.Matches(args))
    {
        return await ImportUsersCommand.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
    }

    using var host = FunctionsHostDetector.IsFunctionsWorker(args, environment)
        ? QraftFunctionsHost.Build(args)
        : QraftSelfHost.Build(args);
    await host.RunAsync();
    return 0;
}
catch (OptionsValidationException invalid)
{
    // A configuration mistake deserves its own words, not a stack trace; the messages name settings, never values.
    await Console.Error.WriteLineAsync($"Qraft cannot start: {string.Join(" ", invalid.Failures)}");
    return 2;
}
