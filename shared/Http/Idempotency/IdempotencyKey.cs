using Microsoft.AspNetCore.Http;

namespace Shop.Shared.Http.Idempotency;

public static class IdempotencyKey
{
    public const string HeaderName = "Idempotency-Key";

    public const int MaxLength = 255;

    /// <summary>
    /// The header's value: exactly one, 1-255 printable ASCII characters and no comma; anything else is 400. The comma
    /// is refused because HTTP servers, the Functions host among them, join a repeated header into one value with
    /// commas: two keys sent at once must be refused whether they arrive as two values or as one.
    /// </summary>
    /// <param name="subject">What one key stands for, in the answer's text (<see cref="IdempotencyOptions.Subject"/>).</param>
    public static string Require(HttpRequest request, string subject)
    {
        var values = request.Headers[HeaderName];
        if (values.Count == 0)
        {
            throw Problems.Validation(HeaderName, $"is required: send a unique key (e.g. a UUID) per {subject}, and the same key when you retry it");
        }

        var key = values.Count == 1 ? values[0] : null;
        return IsValid(key)
            ? key!
            : throw Problems.Validation(HeaderName, $"must be one value of 1-{MaxLength} printable ASCII characters, without commas");
    }

    public static bool IsValid(string? key) =>
        key is { Length: >= 1 and <= MaxLength } && key.All(c => c is >= ' ' and <= '~' and not ',') && key.Trim().Length > 0;
}
