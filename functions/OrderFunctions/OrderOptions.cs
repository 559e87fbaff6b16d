namespace Shop.Orders;

/// <summary>Section <c>Orders</c>.</summary>
public sealed class OrderOptions
{
    public const string Section = "Orders";

    /// <summary>A confirmed order that is not shipped within this time is cancelled, refunded and its stock released.</summary>
    public TimeSpan ShipmentTimeout { get; set; } = TimeSpan.FromDays(3);

    /// <summary>ProductFunctions' base URL including the route prefix, e.g. <c>http://products/api/</c>.</summary>
    public Uri? ProductsBaseUrl { get; set; }

    /// <summary>The function key OrderFunctions presents to ProductFunctions' internal API (header x-functions-key).</summary>
    public string? ProductsFunctionKey { get; set; }

    /// <summary>How long an Idempotency-Key is remembered; Stripe's rule is at least 24 hours.</summary>
    public TimeSpan IdempotencyKeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>An in-progress request that has not finished within this time is presumed dead and may be taken over.</summary>
    public TimeSpan IdempotencyLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a concurrent duplicate waits for the first request's response before it gets 409.</summary>
    public TimeSpan DuplicateWait { get; set; } = TimeSpan.FromSeconds(5);

    public ActivityRetryOptions ActivityRetry { get; set; } = new();
}

/// <summary>The Durable retry policy of the order activities (transient failures only; business outcomes are results).</summary>
public sealed class ActivityRetryOptions
{
    public int MaxAttempts { get; set; } = 6;

    public TimeSpan FirstRetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryInterval { get; set; } = TimeSpan.FromMinutes(1);
}
