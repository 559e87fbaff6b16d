namespace Shop.Orders.Workflow;

public sealed record RetrySettings(int MaxAttempts, TimeSpan FirstRetryInterval, TimeSpan MaxRetryInterval)
{
    public static RetrySettings From(ActivityRetryOptions options) =>
        new(options.MaxAttempts, options.FirstRetryInterval, options.MaxRetryInterval);
}
