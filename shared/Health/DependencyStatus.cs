namespace Shop.Shared.Health;

public sealed record DependencyStatus(string Name, string Status, long DurationMs, string? Error = null);
