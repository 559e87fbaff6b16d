using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Shop.Orders.Documents;
using Shop.Orders.Payments;
using Shop.Orders.Stock;
using Shop.Orders.Workflow;
using Shop.Shared.Http.Idempotency;
using Shop.Shared.Json;
using Shop.Shared.Security;
using Shop.Shared.Time;

namespace Shop.Orders.Api;

/// <summary>
/// POST /api/orders, top to bottom: claim the Idempotency-Key, create the order, store its order.created event and the
/// payment method, start the workflow, answer. The work is itself idempotent (the order id comes from the key, the
/// document insert is keyed by it, the order.created event by the order id, the orchestration starts at most once),
/// because an abandoned or overrun attempt is redone by the next claim. Placement stores the order as Pending and its
/// order.created event itself, so the orchestration's first activity is already a step of the order.
/// </summary>
public sealed class OrderPlacement(
    IdempotentRequests idempotency,
    OrderStore orders,
    PaymentMethodStore paymentMethods,
    OrderWorkflowStarter starter,
    OrderRecorder recorder,
    IOptions<OrderOptions> options,
    TimeProvider time)
{
    /// <summary>What one Idempotency-Key stands for, in the idempotency layer's answers.</summary>
    public const string KeySubject = "order";

    public async Task<StoredJsonResponse> PlaceAsync(
        Caller caller, string key, PlaceOrderRequest request, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var hash = request.Fingerprint();
        await using var claim = await idempotency.ClaimAsync(caller.UserId, key, hash, cancellationToken);
        if (claim.Replayed is { } firstResponse)
        {
            return firstResponse;
        }

        // Once claimed, the work is finished even if the caller goes away: a retry then gets the stored response
        // instead of waiting for the lease to run out.
        var uninterrupted = CancellationToken.None;
        var orderId = OrderIdFor(caller.UserId, key);
        var order = await orders.FindAsync(orderId, uninterrupted) ?? await CreateAsync(orderId, caller.UserId, hash, request, uninterrupted);
        if (!string.Equals(order.RequestHash, hash, StringComparison.Ordinal))
        {
            // The key's record expired, but the order it made is still here: a key names one order for ever.
            throw IdempotencyProblems.KeyReused(KeySubject);
        }

        if (order.ScheduledAt is null)
        {
            await recorder.PublishAsync(order, [OrderStatus.Pending], reason: null, uninterrupted);
            var paymentReference = await paymentMethods.SaveAsync(orderId, request.PaymentToken!, time.UtcNow(), uninterrupted);
            await starter.EnsureStartedAsync(durable, InputFor(order, paymentReference), uninterrupted);
            await orders.MarkScheduledAsync(orderId, time.UtcNow(), uninterrupted);
        }

        var body = JsonSerializer.Serialize(new OrderAccepted(orderId, order.Status, OrderUrls.Status(orderId)), ShopJson.Options);
        return await claim.CompleteAsync(new StoredResponse(202, body, OrderUrls.Status(orderId)));
    }

    /// <summary>
    /// The order id for a user's key: the first 32 hex characters of SHA-256("{userId}:{key}"). Deterministic, so every
    /// retry of a placement, whichever instance serves it, names the same order and the same orchestration instance.
    /// </summary>
    public static string OrderIdFor(string userId, string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userId + ":" + key)))[..32];

    private async Task<Order> CreateAsync(string orderId, string userId, string hash, PlaceOrderRequest request, CancellationToken cancellationToken)
    {
        var now = time.UtcNow();
        var address = request.ShippingAddress!;
        var order = new Order
        {
            Id = orderId,
            UserId = userId,
            Status = OrderStatus.Pending,
            RequestHash = hash,
            Items = [.. request.Items!.Select(i => new OrderLine(i.ProductId!, i.Quantity!.Value))],
            ShippingAddress = new ShippingAddress(address.Name!, address.Line1!, address.Line2, address.City!, address.PostalCode!, address.Country!),
            History = [new StatusChange(OrderStatus.Pending, now)],
            Reached = new Dictionary<string, DateTime>(StringComparer.Ordinal) { [nameof(OrderStatus.Pending)] = now },
            CreatedAt = now,
            UpdatedAt = now,
        };
        return await orders.TryInsertAsync(order, cancellationToken)
            ? order
            : await orders.FindAsync(orderId, cancellationToken) ?? throw new InvalidOperationException($"Order {orderId} was neither inserted nor found.");
    }

    private OrderInput InputFor(Order order, string paymentReference) => new(
        order.Id,
        order.UserId,
        [.. order.Items.Select(i => new StockItem(i.ProductId, i.Quantity))],
        paymentReference,
        options.Value.ShipmentTimeout,
        RetrySettings.From(options.Value.ActivityRetry));
}
