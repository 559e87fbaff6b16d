using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Shop.Tests.Common;

/// <summary>
/// The HTTP functions an app exposes, read from its [Function] and [HttpTrigger] attributes (shared ones included), as
/// the Worker SDK reads them into functions.metadata. One reader for every test that reasons about routes and keys.
/// </summary>
public sealed record HttpFunctionMetadata(string App, string Name, string Route, string[] Methods, AuthorizationLevel AuthLevel, Type DeclaringType)
{
    public static readonly string[] Apps = ["AuthFunctions", "ProductFunctions", "OrderFunctions"];

    public static IReadOnlyList<HttpFunctionMetadata> For(string app) =>
        Read(app, new[] { Assembly.Load(app), typeof(Shop.Shared.Health.HealthFunction).Assembly }.SelectMany(a => a.GetTypes()));

    /// <summary>The HTTP functions declared on one class.</summary>
    public static IReadOnlyList<HttpFunctionMetadata> Of(Type functionClass) => Read(functionClass.Assembly.GetName().Name ?? "", [functionClass]);

    private static List<HttpFunctionMetadata> Read(string app, IEnumerable<Type> types) =>
    [
        .. types
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Function: m.GetCustomAttribute<FunctionAttribute>(), Trigger: m.GetParameters()
                .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(x => x.Function is not null && x.Trigger is not null)
            .Select(x => new HttpFunctionMetadata(app, x.Function!.Name, x.Trigger!.Route ?? x.Function.Name,
                x.Trigger.Methods ?? [], x.Trigger.AuthLevel, x.Method.DeclaringType!)),
    ];
}
