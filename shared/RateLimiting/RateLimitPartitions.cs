using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Shop.Shared.Http;
using Shop.Shared.Security;

namespace Shop.Shared.RateLimiting;

/// <summary>Whom a request is counted against, for each kind of policy, and with which limit.</summary>
public static class RateLimitPartitions
{
    public const string FunctionKeyHeader = "x-functions-key";

    public static async ValueTask<(RateLimitPolicy Policy, string Partition)> ResolveAsync(
        RateLimitPolicy policy, RateLimitPolicies policies, HttpRequest request) => policy.PartitionBy switch
    {
        RateLimitPartitionBy.ClientAddress => (policy, Address(request)),
        RateLimitPartitionBy.ApiKey => ApiKey(policy, policies, request),
        RateLimitPartitionBy.User => (policy, await UserAsync(request) ?? Address(request)),
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy.PartitionBy, "This partition is applied by the service, not per request."),
    };

    /// <summary>The function key, hashed at once: it is a credential and never stored or logged as given.</summary>
    public static string? KeySha256(HttpRequest request)
    {
        var key = request.Headers[FunctionKeyHeader].ToString();
        if (key.Length == 0)
        {
            key = request.Query["code"].ToString();
        }

        return key.Length == 0 ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>A configured consumer is counted by name, with its own limit when it has one; any other key by its hash.</summary>
    private static (RateLimitPolicy, string) ApiKey(RateLimitPolicy policy, RateLimitPolicies policies, HttpRequest request)
    {
        if (KeySha256(request) is not { } hash)
        {
            return (policy, Address(request));
        }

        return policies.ConsumerOf(hash) is { } consumer
            ? (consumer.PermitLimit > 0 ? policy with { PermitLimit = consumer.PermitLimit } : policy, "consumer:" + consumer.Name)
            : (policy, "key:" + hash[..32]);
    }

    /// <summary>
    /// The user of a valid token (validated once and shared with the function, see BearerAuthentication). An unvalidated
    /// read of <c>sub</c> would be cheaper, but anyone could then forge tokens naming a victim and spend the victim's
    /// quota; an invalid token or a key source that cannot be reached counts against the client address instead.
    /// </summary>
    private static async ValueTask<string?> UserAsync(HttpRequest request)
    {
        try
        {
            return await request.AuthenticateAsync() is { } caller ? "user:" + caller.UserId : null;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return null;
        }
    }

    private static string Address(HttpRequest request) => "ip:" + ClientAddress.Of(request);
}
