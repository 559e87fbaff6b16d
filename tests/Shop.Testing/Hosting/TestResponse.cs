using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Shop.Shared.Json;

namespace Shop.Testing.Hosting;

public sealed record TestResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public static async Task<TestResponse> ReadAsync(HttpResponse response)
    {
        response.Body.Position = 0;
        using var reader = new StreamReader(response.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var headers = response.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        return new TestResponse(response.StatusCode, headers, body);
    }

    /// <summary>An answer that came over HTTP (the loopback gateway); content headers included.</summary>
    public static async Task<TestResponse> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return new TestResponse((int)response.StatusCode, headers, body);
    }

    public string? ContentType => Headers.GetValueOrDefault("Content-Type");

    public T Json<T>() => JsonSerializer.Deserialize<T>(Body, ShopJson.Options)
        ?? throw new InvalidOperationException($"Body was null: {Body}");

    public JsonElement Document => JsonDocument.Parse(Body).RootElement;

    public override string ToString() => $"{Status} {Body}";
}
