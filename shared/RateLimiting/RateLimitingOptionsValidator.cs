using Microsoft.Extensions.Options;

namespace Shop.Shared.RateLimiting;

/// <summary>Fails the app at start, naming every mistake, instead of at its first request.</summary>
public sealed class RateLimitingOptionsValidator(IEnumerable<DeclaredRateLimits>? declared = null) : IValidateOptions<RateLimitingOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitingOptions options)
    {
        var errors = RateLimitPolicies.Validate(options, declared?.SingleOrDefault() ?? DeclaredRateLimits.In());
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
