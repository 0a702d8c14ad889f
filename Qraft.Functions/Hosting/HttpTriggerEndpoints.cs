using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Qraft.Hosting;

/// <summary>
/// Local emulation of the HTTP trigger: serves each HTTP-triggered function class on Kestrel at the route and methods
/// its attributes declare. Only the bindings our functions use are supported, and anything else fails at startup,
/// never at request time.
/// </summary>
internal static class HttpTriggerEndpoints
{
    public static IEndpointRouteBuilder MapHttpTriggerFunctions(this IEndpointRouteBuilder endpoints, Assembly assembly, string routePrefix)
    {
        foreach (var function in HttpTriggerFunction.Discover(assembly))
        {
            var invoke = CreateInvoker(function);
            endpoints.MapMethods("/" + function.RouteTemplate(routePrefix), function.Methods, invoke)
                .WithName(function.Name);
        }

        return endpoints;
    }

    private static RequestDelegate CreateInvoker(HttpTriggerFunction function)
    {
        var method = function.Method;
        var binders = method.GetParameters().Select(p => CreateBinder(function, p)).ToArray();
        var factory = method.IsStatic ? null : ActivatorUtilities.CreateFactory(method.DeclaringType!, Type.EmptyTypes);
        if (!typeof(IActionResult).IsAssignableFrom(method.ReturnType) && !typeof(Task<IActionResult>).IsAssignableFrom(method.ReturnType))
        {
            throw new InvalidOperationException(
                $"Function '{function.Name}' returns {method.ReturnType.Name}; the self host serves IActionResult or Task<IActionResult>.");
        }

        // One per function, as MVC keeps one per action: a descriptor describes the endpoint, not the request.
        var descriptor = new ActionDescriptor { DisplayName = function.Name };
        return async context =>
        {
            var target = factory?.Invoke(context.RequestServices, null);
            var arguments = Array.ConvertAll(binders, bind => bind(context));
            var returned = method.Invoke(target, arguments);
            var result = returned as IActionResult ?? await (Task<IActionResult>)returned!;
            await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), descriptor));
        };
    }

    private static Func<HttpContext, object?> CreateBinder(HttpTriggerFunction function, ParameterInfo parameter)
    {
        if (parameter.ParameterType == typeof(HttpRequest))
        {
            return context => context.Request;
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return context => context.RequestAborted;
        }

        if (parameter.ParameterType == typeof(string) && parameter.GetCustomAttribute<HttpTriggerAttribute>() is null)
        {
            var name = parameter.Name!;
            return context => context.GetRouteValue(name)?.ToString();
        }

        throw new InvalidOperationException(
            $"Function '{function.Name}' parameter '{parameter.Name}' ({parameter.ParameterType.Name}) cannot be bound by the self host.");
    }
}
