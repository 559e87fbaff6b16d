namespace Shop.Shared.Health;

public sealed record ReadinessReport(string Status, IReadOnlyList<DependencyStatus> Dependencies)
{
    public bool IsHealthy => Status == "healthy";
}
