namespace Shop.Orders.Workflow;

/// <summary>The payload of <see cref="OrderEvents.Cancel"/>.</summary>
public sealed record CancelRequest(string RequestedBy, bool ByAdmin)
{
    /// <summary>The reason the order records when the cancel is honoured.</summary>
    public string Reason => ByAdmin ? "cancelled-by-admin" : "cancelled-by-customer";
}
