using Microsoft.Extensions.Options;

namespace Shop.Shared.RateLimiting;

/// <summary>One named limit, resolved from configuration.</summary>
public sealed record RateLimitPolicy(string Name, int PermitLimit, TimeSpan Window, RateLimitAlgorithm Algorithm, RateLimitPartitionBy PartitionBy);

/// <summary>Which policies apply to a function, from <see cref="RateLimitingOptions"/>; checked once at start.</summary>
public sealed class RateLimitPolicies
{
    public const string AuthEmail = "auth-email";

    private readonly Dictionary<string, RateLimitPolicy> _policies;
    private readonly Dictionary<string, IReadOnlyList<RateLimitPolicy>> _functions;
    private readonly IReadOnlyList<RateLimitPolicy> _default;

    public RateLimitPolicies(IOptions<RateLimitingOptions> options)
        : this(options.Value)
    {
    }

    public RateLimitPolicies(RateLimitingOptions options)
    {
        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(RateLimitingOptions.Section, typeof(RateLimitingOptions), errors);
        }

        Enabled = options.Enabled;
        AssumedInstances = options.AssumedInstances;
        _policies = options.Policies.ToDictionary(
            p => p.Key,
            p => new RateLimitPolicy(p.Key, p.Value.PermitLimit, p.Value.Window, p.Value.Algorithm, p.Value.PartitionBy),
            StringComparer.OrdinalIgnoreCase);
        _default = Resolve(options.DefaultPolicies);
        _functions = options.Functions.ToDictionary(f => f.Key, f => Resolve(f.Value), StringComparer.OrdinalIgnoreCase);
    }

    public bool Enabled { get; }

    public int AssumedInstances { get; }

    public IReadOnlyList<RateLimitPolicy> ForFunction(string functionName) =>
        _functions.TryGetValue(functionName, out var policies) ? policies : _default;

    public RateLimitPolicy? Named(string name) => _policies.GetValueOrDefault(name);

    /// <summary>Every configuration mistake at once: unknown policy names, limits below 1, empty windows.</summary>
    public static List<string> Validate(RateLimitingOptions options)
    {
        var errors = new List<string>();
        if (options.AssumedInstances < 1)
        {
            errors.Add("RateLimiting:AssumedInstances must be at least 1.");
        }

        foreach (var (name, policy) in options.Policies)
        {
            if (policy.PermitLimit < 1)
            {
                errors.Add($"RateLimiting:Policies:{name}:PermitLimit must be at least 1.");
            }

            if (policy.Window < TimeSpan.FromSeconds(1))
            {
                errors.Add($"RateLimiting:Policies:{name}:Window must be at least one second.");
            }
        }

        var references = options.Functions.Select(f => (Key: "Functions:" + f.Key, f.Value))
            .Append(("DefaultPolicies", options.DefaultPolicies));
        foreach (var (key, value) in references)
        {
            foreach (var name in Names(value).Where(n => !options.Policies.ContainsKey(n)))
            {
                errors.Add($"RateLimiting:{key} names the unknown policy '{name}'.");
            }
        }

        return errors;
    }

    private static IEnumerable<string> Names(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(name => !string.Equals(name, RateLimitingOptions.NoPolicy, StringComparison.OrdinalIgnoreCase));

    private IReadOnlyList<RateLimitPolicy> Resolve(string? list) => [.. Names(list).Select(name => _policies[name])];
}

/// <summary>Fails the app at start, naming every mistake, instead of at its first request.</summary>
public sealed class RateLimitingOptionsValidator : IValidateOptions<RateLimitingOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitingOptions options)
    {
        var errors = RateLimitPolicies.Validate(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
