using Shop.Shared.Http;

namespace Shop.Orders.Api;

/// <summary>The problems only the order API answers with; the common ones come from <see cref="Problems"/>.</summary>
public static class OrderProblems
{
    public static ProblemException OrderNotFound() => Problems.NotFound("No such order.");

    public static ProblemException WrongState(string type, string detail) => Problems.Conflict(type, detail);

    public static ProblemException NotStartedYet() =>
        Problems.InProgress("order-not-started", "Conflict.", "The order's workflow has not started yet; retry shortly.", TimeSpan.FromSeconds(1));
}
