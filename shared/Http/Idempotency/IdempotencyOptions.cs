namespace Shop.Shared.Http.Idempotency;

/// <summary>How an app's idempotent requests behave; the app sets them from its own settings.</summary>
public sealed class IdempotencyOptions
{
    /// <summary>What one key stands for, in the answers' texts: "order" gives "use a new key for a new order".</summary>
    public string Subject { get; set; } = "request";

    /// <summary>How long a key is remembered; Stripe's rule is at least 24 hours.</summary>
    public TimeSpan KeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A first request that has not finished within this time is presumed dead and may be taken over.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a concurrent duplicate waits for the first request's response before it gets 409.</summary>
    public TimeSpan DuplicateWait { get; set; } = TimeSpan.FromSeconds(5);
}
