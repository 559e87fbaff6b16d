using Prometheus;

namespace Shop.Orders.Workflow;

/// <summary>
/// The order metrics, in the app's registry beside the shared ones (same names and labels as before they moved here,
/// so dashboards and alerts are unchanged).
/// </summary>
public sealed class OrderMetrics
{
    /// <summary>Orders wait for shipment and delivery, so an orchestration lasts from seconds to days.</summary>
    public static readonly double[] OrchestrationDurationBuckets = [1, 5, 15, 60, 300, 900, 3600, 14400, 86400, 259200, 604800];

    private readonly Counter _orderTransitions;
    private readonly Histogram _orchestrationDuration;

    public OrderMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        _orderTransitions = factory.CreateCounter(
            "shop_order_transitions_total", "Orders entering a status.", "status");
        _orchestrationDuration = factory.CreateHistogram(
            "shop_orchestration_duration_seconds", "Order orchestrations from placement to their final status.",
            new HistogramConfiguration { LabelNames = ["outcome"], Buckets = OrchestrationDurationBuckets });
    }

    /// <summary>Call once per transition that was actually stored (not for an idempotent repeat).</summary>
    public void OrderTransition(string status) => _orderTransitions.WithLabels(status).Inc();

    /// <param name="outcome">The final status (Completed, Rejected, PaymentFailed, Cancelled).</param>
    public void OrchestrationFinished(string outcome, TimeSpan duration) =>
        _orchestrationDuration.WithLabels(outcome).Observe(Math.Max(0, duration.TotalSeconds));
}
