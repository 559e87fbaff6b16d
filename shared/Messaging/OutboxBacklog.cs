namespace Shop.Shared.Messaging;

/// <summary>Events stored but not yet confirmed by the broker, and how long the oldest of them has waited.</summary>
public sealed record OutboxBacklog(long Count, TimeSpan OldestAge);
