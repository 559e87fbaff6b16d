using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Shop.Shared.Http;

namespace Shop.Shared.RateLimiting;

/// <summary>
/// The RateLimit fields of draft-ietf-httpapi-ratelimit-headers-08: <c>RateLimit-Policy: "user";q=600;w=60</c> (the
/// quota and window of each policy that applied) and <c>RateLimit: "user";r=598;t=1</c> (what remains and the seconds
/// until the quota is whole again). A refused request also gets Retry-After, equal to its <c>t</c> as the draft asks.
/// </summary>
public static class RateLimitHeaders
{
    public const string Policy = "RateLimit-Policy";
    public const string Limit = "RateLimit";

    public static string FormatPolicies(IEnumerable<RateLimitDecision> decisions) =>
        string.Join(", ", decisions.Select(d => string.Create(CultureInfo.InvariantCulture,
            $"{Quote(d.Policy.Name)};q={d.Policy.PermitLimit};w={(long)d.Policy.Window.TotalSeconds}")));

    public static string FormatLimits(IEnumerable<RateLimitDecision> decisions) =>
        string.Join(", ", decisions.Select(d => string.Create(CultureInfo.InvariantCulture,
            $"{Quote(d.Policy.Name)};r={Math.Max(0, d.Remaining)};t={Seconds(d.Reset, d.Allowed ? 0 : 1)}")));

    public static void Apply(IHeaderDictionary headers, IReadOnlyList<RateLimitDecision> decisions)
    {
        if (decisions.Count == 0)
        {
            return;
        }

        headers[Policy] = FormatPolicies(decisions);
        headers[Limit] = FormatLimits(decisions);
    }

    /// <summary>429 problem+json naming the refusing policy, with Retry-After and the RateLimit fields.</summary>
    public static ProblemException TooManyRequests(IReadOnlyList<RateLimitDecision> decisions)
    {
        var refused = decisions.Where(d => !d.Allowed).MaxBy(d => d.Reset)
            ?? throw new ArgumentException("No decision refused the request.", nameof(decisions));
        var retryAfter = TimeSpan.FromSeconds(Seconds(refused.Reset, minimum: 1));
        var problem = Problems.TooManyRequests(retryAfter, $"The rate limit '{refused.Policy.Name}' is exhausted; retry after the time in Retry-After.").Problem;
        var headers = new Dictionary<string, string>(problem.Headers ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase)
        {
            [Policy] = FormatPolicies(decisions),
            [Limit] = FormatLimits(decisions),
        };
        return new ProblemException(problem with
        {
            Headers = headers,
            Extensions = new Dictionary<string, object?> { ["policy"] = refused.Policy.Name },
        });
    }

    internal static long Seconds(TimeSpan span, int minimum) => Math.Max(minimum, (long)Math.Ceiling(span.TotalSeconds));

    /// <summary>A structured-field String: policy names come from configuration, so quotes and backslashes are escaped.</summary>
    private static string Quote(string name)
    {
        var quoted = new StringBuilder(name.Length + 2).Append('"');
        foreach (var c in name.Where(c => c is >= ' ' and <= '~'))
        {
            if (c is '"' or '\\')
            {
                quoted.Append('\\');
            }

            quoted.Append(c);
        }

        return quoted.Append('"').ToString();
    }
}
