using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;

namespace Shop.Shared.OpenApi;

/// <summary>An HTTP function as the Worker SDK indexes it: a [Function] method with an [HttpTrigger] parameter.</summary>
public sealed partial record HttpFunction(string Name, string Route, IReadOnlyList<string> Methods, AuthorizationLevel AuthLevel, MethodInfo Method)
{
    /// <summary>The path as clients call it: the host's <c>api</c> prefix, route constraints and optional marks removed.</summary>
    public string Path => "/api/" + RouteParameter().Replace(Route, m => "{" + m.Groups["name"].Value + "}");

    public IEnumerable<string> RouteParameters => RouteParameter().Matches(Route).Select(m => m.Groups["name"].Value);

    /// <summary>The HTTP functions of an app: its own assembly and the shared one (health), as the SDK finds them.</summary>
    public static IReadOnlyList<HttpFunction> In(Assembly app) =>
    [
        .. new[] { app, typeof(HttpFunction).Assembly }.Distinct()
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Function: m.GetCustomAttribute<FunctionAttribute>(),
                Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(x => x.Function is not null && x.Trigger is not null)
            .Select(x => new HttpFunction(x.Function!.Name, x.Trigger!.Route ?? x.Function.Name,
                x.Trigger.Methods ?? [], x.Trigger.AuthLevel, x.Method))
            .OrderBy(f => f.Route, StringComparer.Ordinal)
            .ThenBy(f => f.Name, StringComparer.Ordinal),
    ];

    [GeneratedRegex(@"\{\*?(?<name>\w+)(:[^}]*)?\??\}")]
    private static partial Regex RouteParameter();
}
