namespace Shop.Orders.Workflow;

/// <summary>
/// The custom status of the orchestration: the step it is on. It is saved when an orchestrator episode ends, so it
/// can trail the order document (written by activities) by one step for a moment.
/// </summary>
public static class OrderSteps
{
    /// <summary>Used by <see cref="V1.OrderOrchestrationV1"/> only.</summary>
    public const string Recording = "Recording";
    public const string ReservingStock = "ReservingStock";
    public const string AuthorizingPayment = "AuthorizingPayment";

    /// <summary>Used by <see cref="V1.OrderOrchestrationV1"/> only.</summary>
    public const string Confirming = "Confirming";
    public const string AwaitingShipment = "AwaitingShipment";
    public const string CapturingPayment = "CapturingPayment";
    public const string AwaitingDelivery = "AwaitingDelivery";
    public const string CommittingStock = "CommittingStock";
    public const string Compensating = "Compensating";
}
