namespace Shop.IntegrationTests.Protection;

/// <summary>Rate limiting on (the test apps start with it off), with <c>RateLimiting:</c> settings of the test's own.</summary>
public static class RateLimitSettings
{
    public static Dictionary<string, string?> On(params (string Key, string Value)[] settings)
    {
        var result = new Dictionary<string, string?> { ["RateLimiting:Enabled"] = "true" };
        foreach (var (key, value) in settings)
        {
            result["RateLimiting:" + key] = value;
        }

        return result;
    }
}
