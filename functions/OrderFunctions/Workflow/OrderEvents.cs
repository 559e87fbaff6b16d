namespace Shop.Orders.Workflow;

/// <summary>The external events the API raises on an order's orchestration.</summary>
public static class OrderEvents
{
    public const string Cancel = "Cancel";
    public const string Ship = "Ship";
    public const string Deliver = "Deliver";
}
