using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Shop.Contracts.Reservations;
using Shop.Shared.Json;

namespace Shop.Orders.Stock;

/// <summary>
/// <see cref="IStockClient"/> over HTTP, speaking the reservation contract (Shop.Contracts). Keys and the resilience
/// pipeline (timeouts, retries with jitter, circuit breaker) are set where the client is registered; this class only
/// maps the contract to the order's own types.
/// </summary>
public sealed class HttpStockClient(HttpClient http) : IStockClient
{
    public const string ClientName = "stock";

    // Responses are read tolerantly (unknown members ignored): the products app may add fields without breaking orders.
    private static readonly JsonSerializerOptions s_responseJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public async Task<ReservationOutcome> ReserveAsync(string orderId, IReadOnlyList<StockItem> items, CancellationToken cancellationToken)
    {
        var request = new ReservationRequest(orderId, [.. items.Select(i => new ReservationLine(i.ProductId, i.Quantity))]);
        using var response = await http.PostAsJsonAsync(ReservationRoutes.Reserve, request, ShopJson.Options, cancellationToken);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            var view = await response.Content.ReadFromJsonAsync<ReservationView>(s_responseJson, cancellationToken)
                ?? throw new StockContractException("The reservation response was empty.");
            return ReservationOutcome.Accepted(
                [.. view.Items.Select(i => new PricedItem(i.ProductId, i.Quantity, i.Name, i.UnitPrice, i.Currency))], view.Total, view.Currency);
        }

        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            var reason = await ProblemReasonAsync(response, cancellationToken);
            if (RejectionReasons.Business.Contains(reason))
            {
                return ReservationOutcome.Rejected(reason);
            }
        }

        throw await FailureAsync(response, "reserve", cancellationToken);
    }

    public async Task ReleaseAsync(string orderId, CancellationToken cancellationToken)
    {
        using var response = await http.DeleteAsync(ReservationRoutes.Release(orderId), cancellationToken);
        if (response.StatusCode != HttpStatusCode.NoContent)
        {
            throw await FailureAsync(response, "release", cancellationToken);
        }
    }

    public async Task CommitAsync(string orderId, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(ReservationRoutes.Commit(orderId), content: null, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NoContent)
        {
            throw await FailureAsync(response, "commit", cancellationToken);
        }
    }

    /// <summary>The problem's reason member (<see cref="RejectionReasons.ProblemMember"/>), or "" when it has none.</summary>
    private static async Task<string> ProblemReasonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(RejectionReasons.ProblemMember, out var reason)
                && reason.ValueKind == JsonValueKind.String
                    ? reason.GetString() ?? ""
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
        var transient = status is 408 or 429 or >= 500 || reason == RejectionReasons.InProgress;
        return transient ? new StockServiceUnavailableException(message) : new StockContractException(message);
    }
}
