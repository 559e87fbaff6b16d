using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Shop.Orders.Documents;
using Shop.Orders.Idempotency;
using Shop.Orders.Payments;
using Shop.Orders.Stock;
using Shop.Orders.Workflow;
using Shop.Shared.Json;
using Shop.Shared.Security;
using Shop.Shared.Time;

namespace Shop.Orders.Api;

/// <summary>
/// POST /api/orders behind the idempotency layer. The work is itself idempotent (the order id comes from the key, the
/// document insert is keyed by it, the order.created event by the order id, the orchestration starts at most once),
/// because an abandoned attempt is redone. Placement stores the order as Pending and its order.created event itself,
/// so the orchestration's first activity is already a step of the order.
/// </summary>
public sealed class OrderPlacement(
    OrderStore orders,
    IdempotentRequests idempotency,
    OrderWorkflowStarter starter,
    PaymentMethodStore paymentMethods,
    OrderRecorder recorder,
    IOptions<OrderOptions> options,
    TimeProvider time)
{
    public Task<IdempotentResult> PlaceAsync(
        Caller caller, string key, PlaceOrderRequest request, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var hash = request.Fingerprint();
        return idempotency.RunAsync(
            caller.UserId, key, hash, work => PlaceOnceAsync(caller.UserId, key, hash, request, durable, work), cancellationToken);
    }

    private async Task<StoredResponse> PlaceOnceAsync(
        string userId, string key, string hash, PlaceOrderRequest request, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var orderId = IdempotencyKey.OrderIdFor(userId, key);
        var order = await orders.FindAsync(orderId, cancellationToken) ?? await CreateAsync(orderId, userId, hash, request, cancellationToken);
        if (!string.Equals(order.RequestHash, hash, StringComparison.Ordinal))
        {
            // The key's record expired, but the order it made is still here: a key names one order for ever.
            throw OrderProblems.IdempotencyKeyReused();
        }

        if (order.ScheduledAt is null)
        {
            await recorder.PublishAsync(order, [OrderStatus.Pending], reason: null, cancellationToken);
            var paymentReference = await paymentMethods.SaveAsync(orderId, request.PaymentToken!, time.UtcNow(), cancellationToken);
            await starter.EnsureStartedAsync(durable, InputFor(order, paymentReference), cancellationToken);
            await orders.MarkScheduledAsync(orderId, time.UtcNow(), cancellationToken);
        }

        var body = JsonSerializer.Serialize(new OrderAccepted(orderId, order.Status, OrderUrls.Status(orderId)), ShopJson.Options);
        return new StoredResponse(202, body, OrderUrls.Status(orderId));
    }

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
