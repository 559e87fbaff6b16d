using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Shop.Orders.Documents;
using Shop.Shared.Messaging;
using Shop.Shared.Observability;

namespace Shop.Orders.Workflow;

public sealed class TransitionActivities(OrderStore orders, IOutbox outbox, ShopMetrics metrics, ILogger<TransitionActivities> logger)
{
    /// <summary>
    /// Writes the status and its history entry (once: the order remembers which statuses it reached), then stores the
    /// matching event in the outbox (once: its id is deterministic). No transaction spans the two writes, so the
    /// event is added even when the status was already there: a retry after a crash between them completes the pair.
    /// </summary>
    [Function(ActivityNames.RecordTransition)]
    public async Task<bool> RecordTransition([ActivityTrigger] TransitionInput input, CancellationToken cancellationToken)
    {
        var moved = await orders.TryTransitionAsync(input.OrderId, input.Status, input.At, input.Reason, input.Pricing, cancellationToken);
        if (moved)
        {
            logger.LogInformation("Order {OrderId} is {Status}", input.OrderId, input.Status);
            await CountAsync(input, cancellationToken);
        }

        var type = OrderIntegrationEvents.TypeFor(input.Status);
        if (type is null)
        {
            return moved;
        }

        var order = await orders.FindAsync(input.OrderId, cancellationToken);
        var data = OrderIntegrationEvents.DataFor(input.OrderId, input.UserId, input.Status, order?.Total, order?.Currency, input.Reason);
        await outbox.AddAsync(
            IntegrationEvent.Create(OrderIntegrationEvents.IdFor(input.OrderId, type), type, data, input.At),
            cancellationToken);
        return moved;
    }

    /// <summary>Counted here, in the activity, only when the status really moved: the orchestrator replays, this does not.</summary>
    private async Task CountAsync(TransitionInput input, CancellationToken cancellationToken)
    {
        metrics.OrderTransition(input.Status.ToString());
        if (Order.IsFinished(input.Status) && await orders.FindAsync(input.OrderId, cancellationToken) is { } finished)
        {
            metrics.OrchestrationFinished(input.Status.ToString(), input.At - finished.CreatedAt);
        }
    }
}
