using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Shop.Tests.Common;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// The name the Functions host gives an invocation ([Function("Login")]), found like the host finds the function: by
/// the HTTP method and route of the [HttpTrigger] on the class's methods. Middleware that works by function name (rate
/// limits, metrics, timeouts) then sees in tests what it sees in production.
/// </summary>
public static class FunctionRoutes
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<Route>> s_routes = new();

    public static string NameOf(Type functionClass, string method, string path)
    {
        var requestPath = new PathString("/" + path.Split('?', 2)[0].Trim('/'));
        var match = s_routes.GetOrAdd(functionClass, Discover)
            .FirstOrDefault(r => r.Accepts(method) && r.Matcher.TryMatch(requestPath, new RouteValueDictionary()));
        return match?.Name ?? functionClass.Name;
    }

    private static List<Route> Discover(Type functionClass) =>
    [
        .. HttpFunctionMetadata.Of(functionClass).Select(f => new Route(
            f.Name, f.Methods, new TemplateMatcher(TemplateParser.Parse(f.Route), new RouteValueDictionary()))),
    ];

    private sealed record Route(string Name, string[] Methods, TemplateMatcher Matcher)
    {
        public bool Accepts(string method) => Methods.Length == 0 || Methods.Contains(method, StringComparer.OrdinalIgnoreCase);
    }
}
