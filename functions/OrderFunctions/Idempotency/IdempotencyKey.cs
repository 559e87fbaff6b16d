using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Shop.Shared.Http;

namespace Shop.Orders.Idempotency;

public static class IdempotencyKey
{
    public const string HeaderName = "Idempotency-Key";

    public const int MaxLength = 255;

    /// <summary>
    /// The header's value: exactly one, 1-255 printable ASCII characters and no comma; anything else is 400. The comma
    /// is refused because HTTP servers, the Functions host among them, join a repeated header into one value with
    /// commas: two keys sent at once must be refused whether they arrive as two values or as one.
    /// </summary>
    public static string Require(HttpRequest request)
    {
        var values = request.Headers[HeaderName];
        if (values.Count == 0)
        {
            throw Problems.Validation(HeaderName, "is required: send a unique key (e.g. a UUID) per order, and the same key when you retry it");
        }

        var key = values.Count == 1 ? values[0] : null;
        return IsValid(key)
            ? key!
            : throw Problems.Validation(HeaderName, $"must be one value of 1-{MaxLength} printable ASCII characters, without commas");
    }

    public static bool IsValid(string? key) =>
        key is { Length: >= 1 and <= MaxLength } && key.All(c => c is >= ' ' and <= '~' and not ',') && key.Trim().Length > 0;

    /// <summary>
    /// The order id for a user's key: the first 32 hex characters of SHA-256("{userId}:{key}"). Deterministic, so every
    /// retry of a placement, whichever instance serves it, names the same order and the same orchestration instance.
    /// </summary>
    public static string OrderIdFor(string userId, string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(IdempotencyRecord.IdFor(userId, key))))[..32];
}
