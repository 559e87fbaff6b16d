using Prometheus;

namespace Shop.Products;

/// <summary>The catalog's and the reservations' metrics, in the app's registry beside the shared ones.</summary>
public sealed class ProductMetrics
{
    private readonly Counter _versionConflicts;
    private readonly Counter _reservations;

    public ProductMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        _versionConflicts = factory.CreateCounter(
            "shop_version_conflicts_total", "Writes refused with 412 because the document changed since it was read.", "entity");
        _reservations = factory.CreateCounter(
            "shop_reservations_total", "Stock reservation outcomes (reserved, insufficient_stock, unknown_product, ...).", "outcome");
    }

    /// <param name="entity">What was written: <c>product</c>.</param>
    public void VersionConflict(string entity) => _versionConflicts.WithLabels(entity).Inc();

    public void Reservation(string outcome) => _reservations.WithLabels(outcome).Inc();
}
