using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shop.Shared.Json;

namespace Shop.Orders.Stock;

/// <summary>
/// <see cref="IStockClient"/> over HTTP. Keys and the resilience pipeline (timeouts, retries with jitter, circuit
/// breaker) are set where the client is registered; this class only maps the contract.
/// </summary>
public sealed class HttpStockClient(HttpClient http) : IStockClient
{
    public const string ClientName = "stock";

    // Responses are read tolerantly (unknown members ignored): the products app may add fields without breaking orders.
    private static readonly JsonSerializerOptions s_responseJson = new(JsonSerializerDefaults.Web);

    private static readonly HashSet<string> s_businessRejections = new(StringComparer.Ordinal)
    {
        "insufficient-stock", "unknown-product", "mixed-currencies", "reservation-released", "reservation-mismatch",
    };

    public async Task<ReservationOutcome> ReserveAsync(string orderId, IReadOnlyList<StockItem> items, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("internal/reservations", new { orderId, items }, ShopJson.Options, cancellationToken);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            var view = await response.Content.ReadFromJsonAsync<ReservationView>(s_responseJson, cancellationToken)
                ?? throw new StockContractException("The reservation response was empty.");
            return ReservationOutcome.Accepted(view.Items, view.Total, view.Currency);
        }

        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            var reason = await ProblemReasonAsync(response, cancellationToken);
            if (s_businessRejections.Contains(reason))
            {
                return ReservationOutcome.Rejected(reason);
            }
        }

        throw await FailureAsync(response, "reserve", cancellationToken);
    }

    public async Task ReleaseAsync(string orderId, CancellationToken cancellationToken)
    {
        using var response = await http.DeleteAsync($"internal/reservations/{Uri.EscapeDataString(orderId)}", cancellationToken);
        if (response.StatusCode != HttpStatusCode.NoContent)
        {
            throw await FailureAsync(response, "release", cancellationToken);
        }
    }

    public async Task CommitAsync(string orderId, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync($"internal/reservations/{Uri.EscapeDataString(orderId)}/commit", content: null, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NoContent)
        {
            throw await FailureAsync(response, "commit", cancellationToken);
        }
    }

    /// <summary>The problem's <c>reason</c> member, or the last segment of its <c>type</c>.</summary>
    private static async Task<string> ProblemReasonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return "";
            }

            if (root.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String)
            {
                return reason.GetString() ?? "";
            }

            return root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                ? type.GetString()!.Split('/')[^1]
                : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static async Task<Exception> FailureAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var reason = status == 409 ? await ProblemReasonAsync(response, cancellationToken) : "";
        var message = $"Stock {operation} answered {status}{(reason.Length > 0 ? " " + reason : "")}.";
        var transient = status is 408 or 429 or >= 500 || reason == "reservation-in-progress";
        return transient ? new StockServiceUnavailableException(message) : new StockContractException(message);
    }

    private sealed record ReservationView(string OrderId, string Status, IReadOnlyList<PricedItem> Items, long Total, string? Currency);
}
