namespace Shop.Shared.RateLimiting;

/// <summary>
/// The rate-limit policies of a function, declared beside its <c>[Function]</c>: a comma-separated list of policy names,
/// or <see cref="RateLimitingOptions.NoPolicy"/> for none. A function without it gets RateLimiting:DefaultPolicies;
/// RateLimiting:Functions:&lt;name&gt; in settings replaces what it declares.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RateLimitAttribute(string policies) : Attribute
{
    public string Policies { get; } = policies;
}
