using System.Text.Json.Serialization;

namespace Shop.Shared.Http;

/// <summary>An RFC 9457 (formerly 7807) problem document.</summary>
public sealed record Problem(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("detail")] string? Detail = null)
{
    [JsonPropertyName("instance")]
    public string? Instance { get; init; }

    [JsonPropertyName("traceId")]
    public string? TraceId { get; init; }

    [JsonPropertyName("errors")]
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    /// <summary>Extra machine-readable members, such as the current version on a 412.</summary>
    [JsonExtensionData]
    public IDictionary<string, object?>? Extensions { get; init; }

    /// <summary>Response headers that belong with this problem (Retry-After on 429, ETag on 412).</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, string>? Headers { get; init; }
}
