using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Qraft.Hosting;

/// <summary>One <c>[Function]</c> method with an <c>[HttpTrigger]</c>, as the attributes declare it.</summary>
public sealed record HttpTriggerFunction(
    string Name,
    MethodInfo Method,
    string Route,
    IReadOnlyList<string> Methods,
    AuthorizationLevel AuthLevel)
{
    /// <summary>Every HTTP-triggered function in <paramref name="assembly"/>; the attributes are the single source of routes.</summary>
    public static IReadOnlyList<HttpTriggerFunction> Discover(Assembly assembly) =>
        [.. from type in assembly.GetTypes()
            where type is { IsClass: true, IsAbstract: false }
            from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            let function = method.GetCustomAttribute<FunctionAttribute>()
            where function is not null
            let trigger = method.GetParameters()
                .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>())
                .FirstOrDefault(a => a is not null)
            where trigger is not null
            orderby function.Name
            select new HttpTriggerFunction(
                function.Name,
                method,
                trigger.Route ?? function.Name,
                [.. (trigger.Methods ?? ["get", "post"]).Select(m => m.ToUpperInvariant())],
                trigger.AuthLevel)];

    /// <summary>The URL template after host.json's route prefix, as the Functions host composes it.</summary>
    public string RouteTemplate(string routePrefix) =>
        string.IsNullOrEmpty(routePrefix) ? Route.Trim('/') : $"{routePrefix.Trim('/')}/{Route.Trim('/')}";
}
