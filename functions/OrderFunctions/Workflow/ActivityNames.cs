namespace Shop.Orders.Workflow;

/// <summary>
/// The activities of <see cref="OrderLifecycle"/>: each does one step's side effect and records its outcome on the
/// order. (The first version's activities keep their names in <see cref="V1.V1ActivityNames"/>.)
/// </summary>
public static class ActivityNames
{
    public const string ReserveOrderStock = "ReserveOrderStock";
    public const string AuthorizeOrderPayment = "AuthorizeOrderPayment";
    public const string CaptureShippedOrder = "CaptureShippedOrder";
    public const string CompleteDeliveredOrder = "CompleteDeliveredOrder";
    public const string ExitOrder = "ExitOrder";
}
