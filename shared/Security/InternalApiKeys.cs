using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shop.Shared.Http;

namespace Shop.Shared.Security;

/// <summary>Section <c>Internal</c>: the credential of service-to-service calls, which public clients never hold.</summary>
public sealed class InternalApiOptions
{
    public const string Section = "Internal";

    public const string HeaderName = "x-internal-key";

    /// <summary>Accepted keys; two at a time during a rotation (add the new one, switch callers, drop the old one).</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>The key this app sends when it calls another app's internal API.</summary>
    public string? OutgoingApiKey { get; set; }
}

/// <summary>
/// Checks the internal API key in addition to the function key. The comparison hashes both sides first, so it takes
/// the same time whatever the length or content of the guess. With no keys configured, every internal call is refused.
/// </summary>
public static class InternalApiKeys
{
    public static void RequireInternalCaller(this HttpRequest request)
    {
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<InternalApiOptions>>().Value;
        var presented = request.Headers[InternalApiOptions.HeaderName].ToString();
        if (!Matches(presented, options.ApiKeys))
        {
            throw Problems.Unauthorized("This internal endpoint needs a valid x-internal-key.");
        }
    }

    public static bool Matches(string presented, IReadOnlyList<string> acceptedKeys)
    {
        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var matched = false;
        foreach (var key in acceptedKeys.Where(k => k.Length >= 16))
        {
            matched |= CryptographicOperations.FixedTimeEquals(presentedHash, SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        }

        return matched && presented.Length > 0;
    }
}
