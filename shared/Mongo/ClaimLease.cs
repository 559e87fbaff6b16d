namespace Shop.Shared.Mongo;

/// <summary>A new claim's lease: the token only this claim knows and the time it lasts until.</summary>
public sealed record ClaimLease(string Token, DateTime Until);
