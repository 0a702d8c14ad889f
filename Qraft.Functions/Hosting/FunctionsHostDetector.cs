using Microsoft.Extensions.Configuration;

namespace Qraft.Hosting;

/// <summary>Tells whether this process was launched as a worker by the Azure Functions host.</summary>
public static class FunctionsHostDetector
{
    /// <remarks>
    /// The host (func, the container image, Azure, FunctionsNetHost) always passes a worker id on the command line
    /// (<c>--functions-worker-id</c>, or <c>--workerId</c> on older hosts) and a gRPC endpoint; a person running
    /// <c>dotnet Qraft.Functions.dll</c> passes neither, so that is when we host the functions ourselves.
    /// </remarks>
    public static bool IsFunctionsWorker(string[] args, IConfiguration? environment = null)
    {
        var commandLine = args.Concat(Environment.GetCommandLineArgs());
        if (commandLine.Any(a => a is "--functions-worker-id" or "--workerId" or "--functions-uri"))
        {
            return true;
        }

        return !string.IsNullOrEmpty(environment?["Functions:Worker:HostEndpoint"]);
    }
}
