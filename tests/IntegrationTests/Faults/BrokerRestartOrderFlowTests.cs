using System.Diagnostics;
using Shop.IntegrationTests.Infrastructure;
using Shop.Orders.Documents;
using Xunit.Abstractions;

namespace Shop.IntegrationTests.Faults;

[Collection(DependencyOutageCollection.Name)]
public sealed class BrokerRestartOrderFlowTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Orders_placed_while_RabbitMQ_is_down_are_confirmed_and_every_order_event_arrives_exactly_once()
    {
        await using var flow = await OrderEventFlow.StartAsync("order-flow", "stops");

        await flow.PlaceAsync(3);
        var clock = Stopwatch.StartNew();
        try
        {
            await LocalServers.StopAsync("rabbitmq");
            await flow.PlaceAsync(5);
            foreach (var id in flow.Placed)
            {
                await flow.Orders.WaitForStatusAsync(id, OrderStatus.Confirmed, OrderEventFlow.Timeout);
            }
        }
        finally
        {
            await LocalServers.StartAsync("rabbitmq");
        }

        output.WriteLine($"RabbitMQ was down for {clock.Elapsed.TotalSeconds:0.0} s");
        await flow.AssertEveryEventArrivesOnceAsync(output);
    }
}
