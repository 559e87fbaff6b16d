using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Shop.Shared.RateLimiting;

/// <summary>
/// What some assemblies declare: the policies of their functions (<see cref="RateLimitAttribute"/>), by function name,
/// and the policies they define (<see cref="RateLimitDefaultsAttribute"/>), by policy name. The shared assembly's own
/// declarations (health) are always included.
/// </summary>
public sealed class DeclaredRateLimits
{
    private DeclaredRateLimits(IReadOnlyDictionary<string, string> functions, IReadOnlyDictionary<string, RateLimitPolicy> policies)
    {
        Functions = functions;
        Policies = policies;
    }

    /// <summary>Policy lists (as in settings) by function name.</summary>
    public IReadOnlyDictionary<string, string> Functions { get; }

    /// <summary>The default definition of each policy an app declares, by name.</summary>
    public IReadOnlyDictionary<string, RateLimitPolicy> Policies { get; }

    public static DeclaredRateLimits In(params Assembly[] apps)
    {
        var types = apps.Append(typeof(DeclaredRateLimits).Assembly).Distinct().SelectMany(a => a.GetTypes()).ToList();
        return new DeclaredRateLimits(FunctionsIn(types), PoliciesIn(types));
    }

    /// <summary>
    /// Puts the declared definitions into <paramref name="options"/>. The options pipeline does it before it binds
    /// configuration, so that a setting replaces one value of a declared policy and keeps the others.
    /// </summary>
    public void ApplyDefaultsTo(RateLimitingOptions options)
    {
        foreach (var policy in Policies.Values)
        {
            options.Policies[policy.Name] = RateLimitPolicyOptions.From(policy);
        }
    }

    private static Dictionary<string, string> FunctionsIn(IEnumerable<Type> types)
    {
        var functions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var declarations = types
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Function: m.GetCustomAttribute<FunctionAttribute>()?.Name, Declared: m.GetCustomAttribute<RateLimitAttribute>()?.Policies))
            .Where(d => d.Function is not null && d.Declared is not null);
        foreach (var (function, declared) in declarations)
        {
            if (functions.TryGetValue(function!, out var other) && other != declared)
            {
                throw new InvalidOperationException($"The function {function} declares the rate limits '{other}' and '{declared}'.");
            }

            functions[function!] = declared!;
        }

        return functions;
    }

    private static Dictionary<string, RateLimitPolicy> PoliciesIn(IEnumerable<Type> types)
    {
        var policies = new Dictionary<string, RateLimitPolicy>(StringComparer.OrdinalIgnoreCase);
        var declarations = types
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(f => (Field: f, Defaults: f.GetCustomAttribute<RateLimitDefaultsAttribute>()))
            .Where(d => d.Defaults is not null);
        foreach (var (field, defaults) in declarations)
        {
            if (!field.IsLiteral || field.GetRawConstantValue() is not string name)
            {
                throw new InvalidOperationException($"{field.DeclaringType?.Name}.{field.Name} declares rate-limit defaults but is not a string constant naming the policy.");
            }

            var policy = defaults!.For(name);
            if (policies.TryGetValue(name, out var other) && other != policy)
            {
                throw new InvalidOperationException($"The rate-limit policy '{name}' is declared twice, as {other} and as {policy}.");
            }

            policies[name] = policy;
        }

        return policies;
    }
}
