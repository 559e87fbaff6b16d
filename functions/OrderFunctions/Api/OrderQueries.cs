using Microsoft.DurableTask.Client;
using Shop.Orders.Documents;
using Shop.Shared.Http;
using Shop.Shared.Security;

namespace Shop.Orders.Api;

/// <summary>
/// Reads, with object-level authorization: an order is visible to its owner and to admins; for anyone else it does
/// not exist (404, never 403, which would confirm that the id is taken).
/// </summary>
public sealed class OrderQueries(OrderStore orders)
{
    public async Task<OrderPage> ListAsync(Caller caller, OrderListQuery query, CancellationToken cancellationToken)
    {
        if (query.All && !caller.IsAdmin)
        {
            throw Problems.Forbidden("Only admins may list every user's orders (all=true).");
        }

        var (items, total) = await orders.ListAsync(query.All ? null : caller.UserId, query.Page, query.PageSize, cancellationToken);
        return new OrderPage([.. items.Select(OrderSummary.From)], query.Page, query.PageSize, total);
    }

    public async Task<Order> GetVisibleAsync(Caller caller, string? orderId, CancellationToken cancellationToken)
    {
        if (!Ids.IsValid(orderId))
        {
            throw OrderProblems.OrderNotFound();
        }

        var order = await orders.FindAsync(orderId!, cancellationToken);
        return order is not null && caller.MayAccess(order.UserId) ? order : throw OrderProblems.OrderNotFound();
    }

    public async Task<OrderRuntimeView> StatusAsync(Caller caller, string? orderId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var order = await GetVisibleAsync(caller, orderId, cancellationToken);
        var instance = await durable.GetInstanceAsync(order.Id, getInputsAndOutputs: true, cancellationToken);
        if (instance is null)
        {
            return new OrderRuntimeView(order.Id, order.Status, "NotStarted", null, null, null);
        }

        var step = instance.SerializedCustomStatus is null ? null : instance.ReadCustomStatusAs<string>();
        return new OrderRuntimeView(order.Id, order.Status, instance.RuntimeStatus.ToString(), step, instance.CreatedAt, instance.LastUpdatedAt);
    }
}
