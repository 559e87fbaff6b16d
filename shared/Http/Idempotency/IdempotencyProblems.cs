namespace Shop.Shared.Http.Idempotency;

/// <summary>The answers of the idempotency layer itself (Stripe's: 422 for a reused key, 409 while the first runs).</summary>
public static class IdempotencyProblems
{
    /// <param name="subject">What one key stands for (<see cref="IdempotencyOptions.Subject"/>).</param>
    public static ProblemException KeyReused(string subject) =>
        new(new Problem(Problems.Type("idempotency-key-reused"), "The Idempotency-Key was used for another request.", 422,
            $"This key was already used with a different body; use a new key for a new {subject}."));

    public static ProblemException RequestInProgress(TimeSpan retryAfter) =>
        Problems.InProgress("request-in-progress", "Conflict.",
            "A request with this Idempotency-Key is still being processed; retry shortly to get its response.",
            TimeSpan.FromSeconds(Math.Min(30, retryAfter.TotalSeconds)));
}
