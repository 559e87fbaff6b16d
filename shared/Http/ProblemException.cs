namespace Shop.Shared.Http;

/// <summary>Thrown to end a request with a client-facing problem; ProblemMiddleware writes it.</summary>
public sealed class ProblemException(Problem problem) : Exception(problem.Detail ?? problem.Title)
{
    public Problem Problem { get; } = problem;
}
