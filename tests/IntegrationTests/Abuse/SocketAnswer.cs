namespace Shop.IntegrationTests.Abuse;

/// <summary>
/// What a corpus line gets over a real socket when that differs from what the function answers in process, because
/// Kestrel (which the real Functions host runs) or the host's routing answers first.
/// </summary>
/// <param name="Status">2xx, 4xx, any, or an exact status, as <see cref="AbuseCase.Expect"/>.</param>
/// <param name="Function">The function the host routes the request to instead; null when none runs (Kestrel answers).</param>
/// <param name="Why">What on the wire makes the difference.</param>
public sealed record SocketAnswer(string Status, string? Function, string Why);
