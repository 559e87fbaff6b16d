using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Shop.Shared.RateLimiting;

/// <summary>
/// What the functions of some assemblies declare with <see cref="RateLimitAttribute"/>, by function name. The shared
/// assembly's own functions (health) are always included.
/// </summary>
public sealed class DeclaredRateLimits
{
    private DeclaredRateLimits(IReadOnlyDictionary<string, string> functions) => Functions = functions;

    /// <summary>Policy lists (as in settings) by function name.</summary>
    public IReadOnlyDictionary<string, string> Functions { get; }

    public static DeclaredRateLimits In(params Assembly[] apps)
    {
        var functions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var declarations = apps.Append(typeof(DeclaredRateLimits).Assembly).Distinct()
            .SelectMany(a => a.GetTypes())
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

        return new DeclaredRateLimits(functions);
    }
}
