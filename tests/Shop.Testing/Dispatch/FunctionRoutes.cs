using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Shop.Testing.Dispatch;

/// <summary>
/// The route table of a set of function classes, read from their own attributes ([Function] methods with an
/// [HttpTrigger] parameter) and matched by METHOD + path with ASP.NET Core's template matcher, route constraints and
/// precedence, under <c>/api/</c> as the host serves them.
/// </summary>
public sealed class FunctionRoutes
{
    private static readonly IInlineConstraintResolver s_constraints = new DefaultInlineConstraintResolver(
        Options.Create(new RouteOptions()), new ServiceCollection().AddRouting().BuildServiceProvider());

    public FunctionRoutes(IEnumerable<Type> functionClasses)
    {
        Functions = [.. functionClasses
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(IsHttpFunction)
            .Select(m => new HttpFunction(m, s_constraints))
            // ComputeInbound gives literal segments the lowest value: ascending puts products/openapi.json before products/{id}.
            .OrderBy(f => f.Precedence)];
    }

    /// <summary>Most specific route first.</summary>
    public IReadOnlyList<HttpFunction> Functions { get; }

    public static bool DeclaresHttpFunctions(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly).Any(IsHttpFunction);

    public HttpFunction Function(string name) =>
        Functions.SingleOrDefault(f => f.Name == name) ?? throw new ArgumentException($"No HTTP function named {name}", nameof(name));

    public RouteMatch Match(string method, PathString path, HttpContext httpContext)
    {
        var allowed = new List<string>();
        foreach (var function in Functions)
        {
            var values = function.Match(path, httpContext);
            if (values is null)
            {
                continue;
            }

            if (function.Accepts(method))
            {
                return new RouteMatch.Found(function, values);
            }

            allowed.AddRange(function.Methods);
        }

        return allowed.Count == 0 ? new RouteMatch.NotFound() : new RouteMatch.MethodNotAllowed([.. allowed.Distinct()]);
    }

    private static bool IsHttpFunction(MethodInfo method) =>
        method.GetCustomAttribute<FunctionAttribute>() is not null
        && method.GetParameters().Any(p => p.GetCustomAttribute<HttpTriggerAttribute>() is not null);
}
