using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Qraft.Hosting;

/// <summary>One <c>[Function]</c> method with an <c>[HttpTrigger]</c>, as the attributes declare it.</summary>
public sealed record HttpTriggerFunction(
    string Name,
    MethodInfo Method,
    string Route,
    IReadOnlyList<string> Methods)
{
    /// <summary>
    /// Every HTTP-triggered function in <paramref name="assembly"/>; the attributes are the single source of routes.
    /// A function asking for a key is refused: the self host checks no function keys, and serving it anyway would
    /// open locally what the Functions host keeps closed.
    /// </summary>
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
            select trigger.AuthLevel == AuthorizationLevel.Anonymous
                ? new HttpTriggerFunction(
                    function.Name,
                    method,
                    trigger.Route ?? function.Name,
                    [.. (trigger.Methods ?? ["get", "post"]).Select(m => m.ToUpperInvariant())])
                : throw new InvalidOperationException(
                    $"Function '{function.Name}' requires {trigger.AuthLevel} keys, which the self host cannot check; make it Anonymous.")];

    /// <summary>The URL template after host.json's route prefix, as the Functions host composes it.</summary>
    public string RouteTemplate(string routePrefix) =>
        string.IsNullOrEmpty(routePrefix) ? Route.Trim('/') : $"{routePrefix.Trim('/')}/{Route.Trim('/')}";
}
