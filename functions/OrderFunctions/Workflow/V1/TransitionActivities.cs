using Microsoft.Azure.Functions.Worker;

namespace Shop.Orders.Workflow.V1;

/// <summary>The first version's separate recording step (<see cref="OrderRecorder"/> does the work).</summary>
public sealed class TransitionActivities(OrderRecorder recorder)
{
    [Function(V1ActivityNames.RecordTransition)]
    public async Task<bool> RecordTransition([ActivityTrigger] TransitionInput input, CancellationToken cancellationToken)
    {
        var (_, moved) = await recorder.RecordAsync(
            new OrderTransition(input.OrderId, input.UserId, [input.Status], input.At, input.Reason, input.Pricing), cancellationToken);
        return moved;
    }
}
