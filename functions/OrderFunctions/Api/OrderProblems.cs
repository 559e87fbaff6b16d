using System.Globalization;
using Shop.Shared.Http;

namespace Shop.Orders.Api;

/// <summary>The problems only the order API answers with; the common ones come from <see cref="Problems"/>.</summary>
public static class OrderProblems
{
    private const string TypeBase = "https://shop.example/problems/";

    public static ProblemException IdempotencyKeyReused() =>
        new(new Problem(TypeBase + "idempotency-key-reused", "The Idempotency-Key was used for another request.", 422,
            "This key was already used with a different body; use a new key for a new order."));

    public static ProblemException RequestInProgress(TimeSpan retryAfter) =>
        new(new Problem(TypeBase + "request-in-progress", "Conflict.", 409,
            "A request with this Idempotency-Key is still being processed; retry shortly to get its response.")
        {
            Headers = new Dictionary<string, string>
            {
                ["Retry-After"] = Math.Clamp((int)Math.Ceiling(retryAfter.TotalSeconds), 1, 30).ToString(CultureInfo.InvariantCulture),
            },
        });

    public static ProblemException OrderNotFound() => Problems.NotFound("No such order.");

    public static ProblemException WrongState(string type, string detail) => Problems.Conflict(type, detail);

    public static ProblemException NotStartedYet() =>
        new(new Problem(TypeBase + "order-not-started", "Conflict.", 409, "The order's workflow has not started yet; retry shortly.")
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = "1" },
        });
}
