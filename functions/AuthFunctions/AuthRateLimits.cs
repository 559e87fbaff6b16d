using Shop.Shared.RateLimiting;

namespace Shop.Auth;

/// <summary>AuthFunctions' rate-limit policies with their defaults; RateLimiting:Policies:&lt;name&gt; overrides any value.</summary>
public static class AuthRateLimits
{
    /// <summary>Login and sign-up per client address, checked before the body is read.</summary>
    [RateLimitDefaults(20, RateLimitAlgorithm.SlidingWindow, RateLimitPartitionBy.ClientAddress)]
    public const string PerClientAddress = "auth-ip";

    /// <summary>Login and sign-up per normalised email, checked by the services before any password hashing.</summary>
    [RateLimitDefaults(5, RateLimitAlgorithm.SlidingWindow, RateLimitPartitionBy.Email)]
    public const string PerEmail = "auth-email";
}
