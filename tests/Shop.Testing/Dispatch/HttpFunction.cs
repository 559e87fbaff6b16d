using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Shop.Testing.Dispatch;

/// <summary>
/// One HTTP function as the Functions host sees it: its [Function] name, the [HttpTrigger]'s route template (under
/// <c>/api/</c>), methods and authorization level, and the method to call. Arguments are bound as the worker binds
/// them: the trigger's HttpRequest, route values to string parameters of the same name, the invocation's
/// CancellationToken, and any other parameter (a [DurableClient]) from the app's bindings or its services.
/// </summary>
public sealed class HttpFunction
{
    public const string RoutePrefix = "api";

    private readonly TemplateMatcher _matcher;
    private readonly IDictionary<string, IRouteConstraint> _constraints;

    public HttpFunction(MethodInfo method, IInlineConstraintResolver constraintResolver)
    {
        Method = method;
        Name = method.GetCustomAttribute<FunctionAttribute>()?.Name
            ?? throw new ArgumentException($"{method.DeclaringType?.Name}.{method.Name} has no [Function]", nameof(method));
        var trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)
            ?? throw new ArgumentException($"{Name} has no [HttpTrigger]", nameof(method));
        Route = trigger.Route ?? Name;
        Methods = [.. (trigger.Methods ?? []).Select(m => m.ToUpperInvariant())];
        AuthLevel = trigger.AuthLevel;

        var pattern = RoutePatternFactory.Parse(RoutePrefix + "/" + Route);
        var template = new RouteTemplate(pattern);
        _matcher = new TemplateMatcher(template, new RouteValueDictionary());
        Precedence = RoutePrecedence.ComputeInbound(template);
        var constraints = new RouteConstraintBuilder(constraintResolver, Route);
        foreach (var parameter in pattern.Parameters)
        {
            foreach (var policy in parameter.ParameterPolicies.Where(p => p.Content is not null))
            {
                constraints.AddResolvedConstraint(parameter.Name, policy.Content!);
            }

            if (parameter.IsOptional)
            {
                constraints.SetOptional(parameter.Name);
            }
        }

        _constraints = constraints.Build();
    }

    public string Name { get; }

    /// <summary>The trigger's route template, without the <c>api/</c> prefix.</summary>
    public string Route { get; }

    /// <summary>Upper-case HTTP methods; empty means any.</summary>
    public IReadOnlyList<string> Methods { get; }

    public AuthorizationLevel AuthLevel { get; }

    public MethodInfo Method { get; }

    /// <summary>ASP.NET Core's inbound precedence: literal segments before parameters, as the host orders routes.</summary>
    public decimal Precedence { get; }

    public bool Accepts(string method) => Methods.Count == 0 || Methods.Contains(method.ToUpperInvariant());

    /// <summary>The route values when the path matches the template and its constraints; null otherwise.</summary>
    public RouteValueDictionary? Match(PathString path, HttpContext httpContext)
    {
        var values = new RouteValueDictionary();
        if (!_matcher.TryMatch(path, values))
        {
            return null;
        }

        foreach (var (name, constraint) in _constraints)
        {
            if (!constraint.Match(httpContext, null, name, values, RouteDirection.IncomingRequest))
            {
                return null;
            }
        }

        return values;
    }

    /// <summary>Creates the function's class from the invocation's scope (static methods need none) and calls it.</summary>
    public async Task<IActionResult> InvokeAsync(HttpContext httpContext, RouteValueDictionary routeValues, FunctionBindings bindings)
    {
        var services = httpContext.RequestServices;
        var target = Method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, Method.DeclaringType!);
        var arguments = Method.GetParameters().Select(p => Bind(p, httpContext, routeValues, bindings)).ToArray();
        var returned = Method.Invoke(target, arguments);
        return returned switch
        {
            Task<IActionResult> pending => await pending,
            IActionResult result => result,
            _ => throw new InvalidOperationException($"{Name} returned {returned?.GetType().Name ?? "null"}, not an IActionResult"),
        };
    }

    private object? Bind(ParameterInfo parameter, HttpContext httpContext, RouteValueDictionary routeValues, FunctionBindings bindings)
    {
        if (parameter.ParameterType == typeof(HttpRequest))
        {
            return httpContext.Request;
        }

        if (parameter.ParameterType == typeof(string) && routeValues.TryGetValue(parameter.Name!, out var value))
        {
            return value?.ToString();
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return httpContext.RequestAborted;
        }

        return bindings.Resolve(parameter.ParameterType)
            ?? httpContext.RequestServices.GetService(parameter.ParameterType)
            ?? throw new InvalidOperationException($"{Name}: nothing binds parameter '{parameter.Name}' of type {parameter.ParameterType.Name}");
    }

    public override string ToString() => $"{Name} {string.Join(',', Methods)} /{RoutePrefix}/{Route} ({AuthLevel})";
}
