namespace Shop.Orders.Payments;

/// <summary>Section <c>Payments</c>: which provider takes the money, and its settings.</summary>
public sealed class PaymentOptions
{
    public const string Section = "Payments";

    /// <summary><c>Stripe</c> or <c>Sandbox</c>. Required in Production; elsewhere unset means Sandbox.</summary>
    public string? Provider { get; set; }

    /// <summary>Lets a Production deployment run the sandbox (a demo that must never take money) on purpose.</summary>
    public bool AllowSandbox { get; set; }

    public StripeOptions Stripe { get; set; } = new();
}

/// <summary>Section <c>Payments:Stripe</c>.</summary>
public sealed class StripeOptions
{
    /// <summary>The secret API key (sk_live_... or sk_test_...). Required when the provider is Stripe; never logged.</summary>
    public string? SecretKey { get; set; }

    /// <summary>Another API base than https://api.stripe.com (tests point it at a local fake).</summary>
    public string? ApiBase { get; set; }

    /// <summary>The timeout of one request to Stripe; a timeout is a transient failure the activity retries.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
