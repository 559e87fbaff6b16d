namespace Shop.Shared.RateLimiting;

/// <summary>
/// The answer of one policy for one request. <see cref="Reset"/> is when the partition's quota is whole again (for
/// a refused request: when to retry); <see cref="FromFallback"/> says Redis was unreachable and memory decided.
/// </summary>
public sealed record RateLimitDecision(RateLimitPolicy Policy, bool Allowed, long Remaining, TimeSpan Reset, bool FromFallback = false);
