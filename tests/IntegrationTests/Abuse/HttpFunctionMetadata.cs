using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Shop.IntegrationTests.Abuse;

/// <summary>The HTTP functions an app exposes, read from its [Function] and [HttpTrigger] attributes (shared ones included).</summary>
public sealed record HttpFunctionMetadata(string App, string Name, string Route, string[] Methods, AuthorizationLevel AuthLevel, Type DeclaringType)
{
    public static readonly string[] Apps = ["AuthFunctions", "ProductFunctions", "OrderFunctions"];

    public static IReadOnlyList<HttpFunctionMetadata> For(string app) =>
    [
        .. new[] { Assembly.Load(app), typeof(Shop.Shared.Health.HealthFunction).Assembly }
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Function: m.GetCustomAttribute<FunctionAttribute>(), Trigger: m.GetParameters()
                .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(x => x.Function is not null && x.Trigger is not null)
            .Select(x => new HttpFunctionMetadata(app, x.Function!.Name, x.Trigger!.Route ?? x.Function.Name,
                x.Trigger.Methods ?? [], x.Trigger.AuthLevel, x.Method.DeclaringType!)),
    ];
}
