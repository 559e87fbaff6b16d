namespace Shop.Orders.Workflow.V1;

/// <summary>
/// The activities of <see cref="OrderOrchestrationV1"/>, still registered so that orchestrations started before
/// <see cref="OrderLifecycle"/> replay and finish.
/// </summary>
public static class V1ActivityNames
{
    public const string ReserveStock = "ReserveStock";
    public const string ReleaseStock = "ReleaseStock";
    public const string CommitStock = "CommitStock";
    public const string AuthorizePayment = "AuthorizePayment";
    public const string CapturePayment = "CapturePayment";
    public const string RefundPayment = "RefundPayment";
    public const string RecordTransition = "RecordTransition";
}
