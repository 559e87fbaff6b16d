using Shop.Shared.RateLimiting;

namespace Shop.UnitTests.Shared;

public sealed class RateLimitHeadersTests
{
    private static readonly RateLimitPolicy s_user = new("user", 600, TimeSpan.FromMinutes(1), RateLimitAlgorithm.TokenBucket, RateLimitPartitionBy.User);
    private static readonly RateLimitPolicy s_key = new("api-key", 6000, TimeSpan.FromMinutes(1), RateLimitAlgorithm.TokenBucket, RateLimitPartitionBy.ApiKey);

    [Fact]
    public void Each_policy_that_applied_is_listed_in_draft_08_syntax()
    {
        RateLimitDecision[] decisions =
        [
            new(s_key, Allowed: true, Remaining: 5999, Reset: TimeSpan.FromMilliseconds(10)),
            new(s_user, Allowed: true, Remaining: 12, Reset: TimeSpan.FromSeconds(58.2)),
        ];

        Assert.Equal("\"api-key\";q=6000;w=60, \"user\";q=600;w=60", RateLimitHeaders.FormatPolicies(decisions));
        Assert.Equal("\"api-key\";r=5999;t=1, \"user\";r=12;t=59", RateLimitHeaders.FormatLimits(decisions));
    }

    [Fact]
    public void A_full_quota_resets_in_zero_seconds_and_remaining_is_never_negative()
    {
        var decision = new RateLimitDecision(s_user, Allowed: true, Remaining: -3, Reset: TimeSpan.Zero);

        Assert.Equal("\"user\";r=0;t=0", RateLimitHeaders.FormatLimits([decision]));
    }

    [Fact]
    public void Policy_names_are_quoted_as_structured_field_strings()
    {
        var odd = s_user with { Name = "a\"b\\c\u00e9" };

        Assert.Equal("\"a\\\"b\\\\c\";q=600;w=60", RateLimitHeaders.FormatPolicies([new RateLimitDecision(odd, true, 1, TimeSpan.Zero)]));
    }

    [Fact]
    public void A_refusal_is_a_429_problem_whose_retry_after_matches_the_reset_of_the_refusing_policy()
    {
        RateLimitDecision[] decisions =
        [
            new(s_key, Allowed: true, Remaining: 10, Reset: TimeSpan.FromSeconds(1)),
            new(s_user, Allowed: false, Remaining: 0, Reset: TimeSpan.FromSeconds(2.1)),
        ];

        var problem = RateLimitHeaders.TooManyRequests(decisions).Problem;

        Assert.Equal(429, problem.Status);
        Assert.Equal("https://shop.example/problems/too-many-requests", problem.Type);
        Assert.Equal("user", problem.Extensions!["policy"]);
        Assert.Equal("3", problem.Headers!["Retry-After"]);
        Assert.Equal("\"api-key\";r=10;t=1, \"user\";r=0;t=3", problem.Headers["RateLimit"]);
        Assert.Equal("\"api-key\";q=6000;w=60, \"user\";q=600;w=60", problem.Headers["RateLimit-Policy"]);
    }

    [Fact]
    public void A_refusal_says_to_wait_at_least_one_second()
    {
        var problem = RateLimitHeaders.TooManyRequests([new RateLimitDecision(s_user, false, 0, TimeSpan.Zero)]).Problem;

        Assert.Equal("1", problem.Headers!["Retry-After"]);
        Assert.Equal("\"user\";r=0;t=1", problem.Headers["RateLimit"]);
    }
}
