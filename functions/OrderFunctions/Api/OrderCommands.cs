using Microsoft.DurableTask.Client;
using Shop.Orders.Documents;
using Shop.Orders.Workflow;
using Shop.Shared.Security;

namespace Shop.Orders.Api;

/// <summary>
/// Cancel, ship and deliver: each checks the order's state, then raises the matching event on its orchestration,
/// which decides (202 means handed over). A cancel that races a shipment is settled by whichever event the
/// orchestration sees first; the outcome shows in GET /api/orders/{id}. A cancel is also written on the order before
/// its event is raised, so an authorisation in progress cannot record Confirmed after it (the order ends Cancelled).
/// </summary>
public sealed class OrderCommands(OrderQueries queries, OrderStore orders)
{
    public async Task<OrderCommandAccepted> CancelAsync(Caller caller, string? orderId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var order = await queries.GetVisibleAsync(caller, orderId, cancellationToken);
        if (Order.IsShipped(order.Status))
        {
            throw OrderProblems.WrongState("order-shipped", "The order has shipped and can no longer be cancelled.");
        }

        RequireUnfinished(order);
        var request = new CancelRequest(caller.UserId, caller.IsAdmin);
        await RequireRunningAsync(durable, order, cancellationToken);
        await orders.RequestCancelAsync(order.Id, request.Reason, cancellationToken);
        await durable.RaiseEventAsync(order.Id, OrderEvents.Cancel, request, cancellationToken);
        return Accepted(order, "cancel");
    }

    /// <summary>Admin only (the caller checks the role); a confirmed order only.</summary>
    public async Task<OrderCommandAccepted> ShipAsync(Caller admin, string? orderId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var order = await queries.GetVisibleAsync(admin, orderId, cancellationToken);
        RequireUnfinished(order);
        if (order.Status != OrderStatus.Confirmed)
        {
            throw OrderProblems.WrongState("order-not-confirmed", $"Only a confirmed order can ship; this one is {order.Status}.");
        }

        await RaiseAsync(durable, order, OrderEvents.Ship, new ShipmentNotice(admin.UserId), cancellationToken);
        return Accepted(order, "ship");
    }

    /// <summary>Admin only (the caller checks the role); a shipped order only.</summary>
    public async Task<OrderCommandAccepted> DeliverAsync(Caller admin, string? orderId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var order = await queries.GetVisibleAsync(admin, orderId, cancellationToken);
        RequireUnfinished(order);
        if (order.Status != OrderStatus.Shipped)
        {
            throw OrderProblems.WrongState("order-not-shipped", $"Only a shipped order can be delivered; this one is {order.Status}.");
        }

        await RaiseAsync(durable, order, OrderEvents.Deliver, new DeliveryNotice(admin.UserId), cancellationToken);
        return Accepted(order, "deliver");
    }

    private static void RequireUnfinished(Order order)
    {
        if (Order.IsFinished(order.Status))
        {
            throw OrderProblems.WrongState("order-finished", $"The order is {order.Status}; nothing more can happen to it.");
        }
    }

    private static async Task RaiseAsync(DurableTaskClient durable, Order order, string eventName, object payload, CancellationToken cancellationToken)
    {
        await RequireRunningAsync(durable, order, cancellationToken);
        await durable.RaiseEventAsync(order.Id, eventName, payload, cancellationToken);
    }

    private static async Task RequireRunningAsync(DurableTaskClient durable, Order order, CancellationToken cancellationToken)
    {
        // Raising an event on an instance that does not exist is silently dropped by some backends: check first.
        var instance = await durable.GetInstanceAsync(order.Id, getInputsAndOutputs: false, cancellationToken);
        if (instance is null)
        {
            throw OrderProblems.NotStartedYet();
        }

        if (instance.IsCompleted)
        {
            throw OrderProblems.WrongState("order-finished", "The order's workflow has finished; nothing more can happen to it.");
        }
    }

    private static OrderCommandAccepted Accepted(Order order, string requested) =>
        new(order.Id, requested, order.Status, OrderUrls.Status(order.Id));
}
