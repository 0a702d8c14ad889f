using System.Text.Json;
using Qraft.Tests.FunctionsHost.Rpc;

namespace Qraft.Tests.FunctionsHost;

/// <summary>An HTTP-triggered function as the host reads it from the metadata the worker reported (its raw bindings).</summary>
public sealed record HttpTriggerBinding(string FunctionId, string FunctionName, string ParameterName, string Route, IReadOnlyList<string> Methods, string AuthLevel)
{
    private static readonly JsonSerializerOptions CaseInsensitive = new() { PropertyNameCaseInsensitive = true };

    /// <summary>The function's HTTP trigger, or null for a function with another trigger.</summary>
    public static HttpTriggerBinding? From(RpcFunctionMetadata function)
    {
        foreach (var raw in function.RawBindings)
        {
            var binding = JsonSerializer.Deserialize<RawBinding>(raw, CaseInsensitive);
            if (binding is not null && string.Equals(binding.Type, "httpTrigger", StringComparison.OrdinalIgnoreCase))
            {
                return new HttpTriggerBinding(
                    function.FunctionId,
                    function.Name,
                    binding.Name ?? "req",
                    binding.Route ?? function.Name,
                    [.. (binding.Methods ?? []).Select(m => m.ToUpperInvariant())],
                    binding.AuthLevel ?? "Function");
            }
        }

        return null;
    }

    /// <summary>The URL template once host.json's route prefix is put in front, as the host composes it.</summary>
    public string Template(string routePrefix) => string.IsNullOrEmpty(routePrefix) ? Route : $"{routePrefix}/{Route}";

    private sealed record RawBinding(string? Type, string? Name, string? Route, string[]? Methods, string? AuthLevel);
}
