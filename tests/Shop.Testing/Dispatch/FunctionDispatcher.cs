using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Shop.Testing.Dispatch;

/// <summary>
/// One app's HTTP functions (<see cref="FunctionRoutes"/>), invoked through <see cref="FunctionPipeline"/> in a scope of
/// the app's services with the arguments the worker would bind.
/// Function keys are not this class's business: the loopback gateway checks them between <see cref="Match"/> and
/// <see cref="InvokeAsync"/>, as the Functions host does.
/// </summary>
public sealed class FunctionDispatcher
{
    private readonly IServiceProvider _services;
    private readonly FunctionBindings _bindings;

    /// <param name="functionClasses">The classes declaring the app's functions (the shared HealthFunction included).</param>
    /// <param name="services">The app's root service provider; each invocation gets a scope of it.</param>
    /// <param name="bindings">Values for input-binding parameters such as [DurableClient].</param>
    public FunctionDispatcher(IEnumerable<Type> functionClasses, IServiceProvider services, FunctionBindings? bindings = null)
    {
        _services = services;
        _bindings = bindings ?? FunctionBindings.None;
        Routes = new FunctionRoutes(functionClasses);
    }

    public FunctionRoutes Routes { get; }

    public IServiceProvider Services => _services;

    /// <summary>The function classes every app registers from shared/ (health).</summary>
    public static IEnumerable<Type> SharedFunctionClasses =>
        typeof(Shop.Shared.Health.HealthFunction).Assembly.GetTypes().Where(FunctionRoutes.DeclaresHttpFunctions);

    /// <summary>The function classes of an app assembly plus the shared ones every app registers (health).</summary>
    public static IEnumerable<Type> FunctionClassesOf(Assembly app) =>
        app.GetTypes().Where(FunctionRoutes.DeclaresHttpFunctions).Concat(SharedFunctionClasses);

    public RouteMatch Match(string method, PathString path, HttpContext httpContext) => Routes.Match(method, path, httpContext);

    /// <summary>
    /// Runs the function for a request in a new scope of the app's services (the request's RequestServices become that
    /// scope for the invocation).
    /// </summary>
    public Task InvokeAsync(RouteMatch.Found match, HttpContext httpContext, string invocationId) =>
        RunInScopeAsync(match.Function.Name, httpContext, invocationId, () => match.Function.InvokeAsync(httpContext, match.Values, _bindings));

    /// <summary>
    /// Runs a stand-in body under a function's name, in the same scope and pipeline as the function itself: what the
    /// benchmarks use to measure the invocation around an empty function.
    /// </summary>
    public Task InvokeInPlaceOfAsync(string functionName, HttpContext httpContext, string invocationId, Func<Task<IActionResult>> body) =>
        RunInScopeAsync(Routes.Function(functionName).Name, httpContext, invocationId, body);

    private async Task RunInScopeAsync(string functionName, HttpContext httpContext, string invocationId, Func<Task<IActionResult>> function)
    {
        await using var scope = _services.CreateAsyncScope();
        var outer = httpContext.RequestServices;
        httpContext.RequestServices = scope.ServiceProvider;
        try
        {
            await FunctionPipeline.RunAsync(httpContext, functionName, invocationId, function);
        }
        finally
        {
            httpContext.RequestServices = outer;
        }
    }

    /// <summary>Routes and runs a request without function keys (in-process tests); a miss is a plain 404 or 405.</summary>
    public async Task DispatchAsync(HttpContext httpContext, string invocationId)
    {
        switch (Match(httpContext.Request.Method, httpContext.Request.Path, httpContext))
        {
            case RouteMatch.Found found:
                await InvokeAsync(found, httpContext, invocationId);
                break;
            case RouteMatch.MethodNotAllowed notAllowed:
                httpContext.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                httpContext.Response.Headers.Allow = string.Join(", ", notAllowed.Allowed);
                break;
            default:
                httpContext.Response.StatusCode = StatusCodes.Status404NotFound;
                break;
        }
    }
}
