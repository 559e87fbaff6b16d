using Microsoft.Extensions.Logging;
using Shop.Orders.Documents;
using Shop.Shared.Messaging;

namespace Shop.Orders.Workflow;

/// <summary>
/// Writes an order's transitions for the activities of both orchestrator versions: the status and its history entries
/// (once: the order remembers which statuses it reached), then the matching events in the outbox (once: their ids are
/// deterministic). No transaction spans the two writes, so the events of every status the order has reached are added
/// even when the update found them reached already: a retry after a crash between the writes completes the pair.
/// </summary>
public sealed class OrderRecorder(OrderStore orders, IOutbox outbox, OrderMetrics metrics, ILogger<OrderRecorder> logger)
{
    /// <returns>The order after the write, and whether this call moved it (false for a repeat, or a refused guard).</returns>
    public async Task<(Order? Order, bool Moved)> RecordAsync(OrderTransition transition, CancellationToken cancellationToken)
    {
        var moved = await orders.TryTransitionAsync(
            transition.OrderId, transition.Statuses, transition.At, transition.Reason, transition.Pricing, transition.UnlessCancelRequested, cancellationToken);
        var order = await orders.FindAsync(transition.OrderId, cancellationToken);
        if (moved)
        {
            Count(transition, order);
        }

        if (order is not null)
        {
            await PublishAsync(order, transition.Statuses, transition.Reason, cancellationToken);
        }

        return (order, moved);
    }

    /// <summary>Stores the events of those <paramref name="statuses"/> the order has reached, at the time it reached each.</summary>
    public async Task PublishAsync(Order order, IEnumerable<OrderStatus> statuses, string? reason, CancellationToken cancellationToken)
    {
        foreach (var status in statuses)
        {
            var type = OrderIntegrationEvents.TypeFor(status);
            if (type is null || !order.Reached.TryGetValue(status.ToString(), out var at))
            {
                continue;
            }

            var data = OrderIntegrationEvents.DataFor(order.Id, order.UserId, status, order.Total, order.Currency, reason);
            await outbox.AddAsync(IntegrationEvent.Create(OrderIntegrationEvents.IdFor(order.Id, type), type, data, at), cancellationToken);
        }
    }

    /// <summary>Counted here, in the activity, only when the status really moved: the orchestrator replays, this does not.</summary>
    private void Count(OrderTransition transition, Order? order)
    {
        foreach (var status in transition.Statuses)
        {
            logger.LogInformation("Order {OrderId} is {Status}", transition.OrderId, status);
            metrics.OrderTransition(status.ToString());
            if (Order.IsFinished(status) && order is not null)
            {
                metrics.OrchestrationFinished(status.ToString(), transition.At - order.CreatedAt);
            }
        }
    }
}
