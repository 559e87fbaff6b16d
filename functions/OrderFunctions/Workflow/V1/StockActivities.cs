using Microsoft.Azure.Functions.Worker;
using Shop.Orders.Stock;

namespace Shop.Orders.Workflow.V1;

/// <summary>The first version's stock steps (<see cref="OrderOrchestrationV1"/>); each is idempotent per order id at ProductFunctions.</summary>
public sealed class StockActivities(IStockClient stock)
{
    [Function(V1ActivityNames.ReserveStock)]
    public Task<ReservationOutcome> ReserveStock([ActivityTrigger] ReserveStockInput input, CancellationToken cancellationToken) =>
        stock.ReserveAsync(input.OrderId, input.Items, cancellationToken);

    [Function(V1ActivityNames.ReleaseStock)]
    public async Task<bool> ReleaseStock([ActivityTrigger] string orderId, CancellationToken cancellationToken)
    {
        await stock.ReleaseAsync(orderId, cancellationToken);
        return true;
    }

    [Function(V1ActivityNames.CommitStock)]
    public async Task<bool> CommitStock([ActivityTrigger] string orderId, CancellationToken cancellationToken)
    {
        await stock.CommitAsync(orderId, cancellationToken);
        return true;
    }
}
