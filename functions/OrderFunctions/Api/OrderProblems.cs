using Shop.Shared.Http;

namespace Shop.Orders.Api;

/// <summary>The problems only the order API answers with; the common ones come from <see cref="Problems"/>.</summary>
public static class OrderProblems
{
    public static ProblemException IdempotencyKeyReused() =>
        new(new Problem(Problems.Type("idempotency-key-reused"), "The Idempotency-Key was used for another request.", 422,
            "This key was already used with a different body; use a new key for a new order."));

    public static ProblemException RequestInProgress(TimeSpan retryAfter) =>
        Problems.InProgress("request-in-progress", "Conflict.",
            "A request with this Idempotency-Key is still being processed; retry shortly to get its response.",
            TimeSpan.FromSeconds(Math.Min(30, retryAfter.TotalSeconds)));

    public static ProblemException OrderNotFound() => Problems.NotFound("No such order.");

    public static ProblemException WrongState(string type, string detail) => Problems.Conflict(type, detail);

    public static ProblemException NotStartedYet() =>
        Problems.InProgress("order-not-started", "Conflict.", "The order's workflow has not started yet; retry shortly.", TimeSpan.FromSeconds(1));
}
