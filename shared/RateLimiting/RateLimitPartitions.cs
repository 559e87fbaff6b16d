using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Shop.Shared.Http;
using Shop.Shared.Security;

namespace Shop.Shared.RateLimiting;

/// <summary>Whom a request is counted against, for each kind of policy.</summary>
public static class RateLimitPartitions
{
    public const string FunctionKeyHeader = "x-functions-key";

    public static async ValueTask<string> ResolveAsync(RateLimitPartitionBy partitionBy, HttpRequest request) => partitionBy switch
    {
        RateLimitPartitionBy.ClientAddress => Address(request),
        RateLimitPartitionBy.ApiKey => ApiKey(request) ?? Address(request),
        RateLimitPartitionBy.User => await UserAsync(request) ?? Address(request),
        _ => throw new ArgumentOutOfRangeException(nameof(partitionBy), partitionBy, "This partition is applied by the service, not per request."),
    };

    /// <summary>The function key, hashed at once: it is a credential and never stored or logged as given.</summary>
    public static string? ApiKey(HttpRequest request)
    {
        var key = request.Headers[FunctionKeyHeader].ToString();
        if (key.Length == 0)
        {
            key = request.Query["code"].ToString();
        }

        return key.Length == 0 ? null : "key:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
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
