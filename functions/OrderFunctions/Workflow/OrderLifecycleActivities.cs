using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Shop.Orders.Documents;
using Shop.Orders.Payments;
using Shop.Orders.Stock;
using Shop.Shared.Time;

namespace Shop.Orders.Workflow;

/// <summary>
/// The steps of <see cref="OrderLifecycle"/>. Each does its side effect and records the outcome on the order in the
/// same activity, and each is idempotent by order id and transition: the stock service and the payment provider are
/// idempotent per order id, the order remembers which statuses it reached, and the outbox keeps one event per id. A
/// retry after a crash at any point redoes the calls (no-ops now) and completes what is missing.
/// </summary>
public sealed class OrderLifecycleActivities(
    IStockClient stock,
    IPaymentGateway gateway,
    StoredMethodAuthorizer authorizer,
    OrderStore orders,
    OrderRecorder recorder,
    TimeProvider time,
    ILogger<OrderLifecycleActivities> logger)
{
    /// <summary>Reserves the stock and records StockReserved with the prices, or Rejected.</summary>
    [Function(ActivityNames.ReserveOrderStock)]
    public async Task<OrderStepOutcome> ReserveOrderStock([ActivityTrigger] ReserveOrderStockInput input, CancellationToken cancellationToken)
    {
        var reservation = await stock.ReserveAsync(input.OrderId, input.Items, cancellationToken);
        if (!reservation.Reserved)
        {
            var reason = reservation.Reason ?? "rejected";
            await RecordAsync(input.OrderId, input.UserId, OrderStatus.Rejected, reason, cancellationToken);
            return new OrderStepOutcome(OrderStatus.Rejected, reason);
        }

        var pricing = new OrderPricing(
            [.. reservation.Items.Select(i => new OrderLine(i.ProductId, i.Quantity, i.Name, i.UnitPrice))],
            reservation.Total,
            reservation.Currency);
        await recorder.RecordAsync(
            new OrderTransition(input.OrderId, input.UserId, [OrderStatus.StockReserved], time.UtcNow(), Pricing: pricing), cancellationToken);
        return new OrderStepOutcome(OrderStatus.StockReserved, Total: reservation.Total, Currency: reservation.Currency);
    }

    /// <summary>
    /// Authorises the payment and records Paid and Confirmed in one conditional update that does not apply once a
    /// cancel was requested; then (or when the cancel was requested before) it voids the authorisation, releases the
    /// stock and records Cancelled, so no order.confirmed is ever stored for a cancelled order. A decline releases the
    /// stock and records PaymentFailed.
    /// </summary>
    [Function(ActivityNames.AuthorizeOrderPayment)]
    public async Task<OrderStepOutcome> AuthorizeOrderPayment([ActivityTrigger] AuthorizeOrderPaymentInput input, CancellationToken cancellationToken)
    {
        var order = await orders.FindAsync(input.OrderId, cancellationToken);
        if (order is not null && Order.IsFinished(order.Status))
        {
            // A retry of this step after it ended the order: the end stands.
            return new OrderStepOutcome(order.Status, order.Reason);
        }

        if (order is { CancelReason: { } requested } && !HasReached(order, OrderStatus.Confirmed))
        {
            return await CancelAsync(input, requested, cancellationToken);
        }

        var payment = await authorizer.AuthorizeAsync(input.OrderId, input.PaymentReference, input.Amount, input.Currency, cancellationToken);
        if (!payment.Approved)
        {
            var reason = payment.DeclineReason ?? "declined";
            await stock.ReleaseAsync(input.OrderId, cancellationToken);
            await RecordAsync(input.OrderId, input.UserId, OrderStatus.PaymentFailed, reason, cancellationToken);
            return new OrderStepOutcome(OrderStatus.PaymentFailed, reason);
        }

        var confirmed = new OrderTransition(
            input.OrderId, input.UserId, [OrderStatus.Paid, OrderStatus.Confirmed], time.UtcNow(), UnlessCancelRequested: true);
        (order, _) = await recorder.RecordAsync(confirmed, cancellationToken);
        if (order is not null && !HasReached(order, OrderStatus.Confirmed) && order.CancelReason is { } cancelled)
        {
            logger.LogInformation("Order {OrderId}: cancel requested while the payment was authorised; voiding it", input.OrderId);
            return await CancelAsync(input, cancelled, cancellationToken);
        }

        return new OrderStepOutcome(OrderStatus.Confirmed);
    }

    /// <summary>Records Shipped and captures the payment held until now.</summary>
    [Function(ActivityNames.CaptureShippedOrder)]
    public async Task<CaptureOutcome> CaptureShippedOrder([ActivityTrigger] OrderStepInput input, CancellationToken cancellationToken)
    {
        await RecordAsync(input.OrderId, input.UserId, OrderStatus.Shipped, reason: null, cancellationToken);
        return await gateway.CaptureAsync(input.OrderId, cancellationToken);
    }

    /// <summary>Records Delivered, commits the reserved stock and records Completed.</summary>
    [Function(ActivityNames.CompleteDeliveredOrder)]
    public async Task<bool> CompleteDeliveredOrder([ActivityTrigger] OrderStepInput input, CancellationToken cancellationToken)
    {
        await RecordAsync(input.OrderId, input.UserId, OrderStatus.Delivered, reason: null, cancellationToken);
        await stock.CommitAsync(input.OrderId, cancellationToken);
        await RecordAsync(input.OrderId, input.UserId, OrderStatus.Completed, reason: null, cancellationToken);
        return true;
    }

    /// <summary>Undoes newest first (the payment, then the stock), then records the final status.</summary>
    [Function(ActivityNames.ExitOrder)]
    public async Task<bool> ExitOrder([ActivityTrigger] ExitOrderInput input, CancellationToken cancellationToken)
    {
        if (input.RefundPayment)
        {
            await gateway.RefundAsync(input.OrderId, cancellationToken);
        }

        if (input.ReleaseStock)
        {
            await stock.ReleaseAsync(input.OrderId, cancellationToken);
        }

        await RecordAsync(input.OrderId, input.UserId, input.Status, input.Reason, cancellationToken);
        return true;
    }

    private async Task<OrderStepOutcome> CancelAsync(AuthorizeOrderPaymentInput input, string reason, CancellationToken cancellationToken)
    {
        // A void is a no-op when nothing was authorised (a cancel seen before the provider was asked, or on a retry).
        await gateway.RefundAsync(input.OrderId, cancellationToken);
        await stock.ReleaseAsync(input.OrderId, cancellationToken);
        await RecordAsync(input.OrderId, input.UserId, OrderStatus.Cancelled, reason, cancellationToken);
        return new OrderStepOutcome(OrderStatus.Cancelled, reason);
    }

    private Task<(Order? Order, bool Moved)> RecordAsync(string orderId, string userId, OrderStatus status, string? reason, CancellationToken cancellationToken) =>
        recorder.RecordAsync(new OrderTransition(orderId, userId, [status], time.UtcNow(), reason), cancellationToken);

    private static bool HasReached(Order order, OrderStatus status) => order.Reached.ContainsKey(status.ToString());
}
