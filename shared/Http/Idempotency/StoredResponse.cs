namespace Shop.Shared.Http.Idempotency;

/// <summary>A response as stored for replay.</summary>
public sealed record StoredResponse(int Status, string Body, string? Location);
