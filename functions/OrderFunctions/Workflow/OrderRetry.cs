using Microsoft.DurableTask;
using Shop.Orders.Stock;

namespace Shop.Orders.Workflow;

/// <summary>The retry policy of every order activity, in both orchestrator versions.</summary>
public static class OrderRetry
{
    /// <summary>
    /// Retries transient failures with exponential back-off (durable timers between attempts). A broken contract with
    /// the stock service is not retried: the same request would fail the same way.
    /// </summary>
    public static TaskOptions Options(RetrySettings settings) =>
        TaskOptions.FromRetryPolicy(new RetryPolicy(
            settings.MaxAttempts,
            settings.FirstRetryInterval,
            backoffCoefficient: 2.0,
            maxRetryInterval: settings.MaxRetryInterval)
        {
            HandleFailure = failure => !IsPermanent(failure),
        });

    public static bool IsPermanent(TaskFailureDetails failure) =>
        string.Equals(failure.ErrorType, typeof(StockContractException).FullName, StringComparison.Ordinal);
}
