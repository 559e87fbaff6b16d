using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Shop.IntegrationTests.Infrastructure;
using Shop.IntegrationTests.Messaging;
using Shop.IntegrationTests.Orders;
using Shop.Orders.Documents;
using Shop.Shared.Http;
using Shop.Shared.Messaging;
using Xunit.Abstractions;

namespace Shop.IntegrationTests.Faults;

[Collection(DependencyOutageCollection.Name)]
public sealed class BrokerRestartOrderFlowTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [SkippableFact]
    public async Task Orders_placed_while_RabbitMQ_is_down_are_confirmed_and_every_order_event_arrives_exactly_once()
    {
        await using var environment = await MessagingEnvironment.CreateAsync();
        Skip.IfNot(LocalServers.Controls("SHOP_TEST_RABBITMQ_URI", environment.Servers.RabbitMqUri), "This test stops RabbitMQ, which only works with the broker of scripts/servers.sh.");
        var queue = environment.Queue("order-flow");
        var calls = new HandlerCalls();
        await using var orders = await OrderTestApp.StartAsync(
            Fakes.Stock(new CallJournal()).Object,
            extraSettings: new Dictionary<string, string?> { ["Mongo:Database"] = environment.Database });
        await using var relayAndConsumer = await MessagingApp.CreateAsync(environment, services =>
        {
            services.AddSingleton(calls);
            services.AddEventConsumer<RecordingHandler>(queue, ["order.*"]);
        });
        await relayAndConsumer.StartAsync();
        var placed = new List<string>();
        var statuses = new List<int>();

        async Task PlaceAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var response = await orders.PlaceAsync(OrderTestApp.SampleOrder(Ids.New()), TestTokens.Customer(), Guid.NewGuid().ToString());
                statuses.Add(response.Status);
                if (response.Status == 202)
                {
                    placed.Add(response.Document.GetProperty("orderId").GetString()!);
                }
            }
        }

        await PlaceAsync(3);
        var clock = Stopwatch.StartNew();
        try
        {
            await LocalServers.StopAsync("rabbitmq");
            await PlaceAsync(5);
            foreach (var id in placed)
            {
                await orders.WaitForStatusAsync(id, OrderStatus.Confirmed, Timeout);
            }
        }
        finally
        {
            await LocalServers.StartAsync("rabbitmq");
        }

        output.WriteLine($"RabbitMQ was down for {clock.Elapsed.TotalSeconds:0.0} s");
        await PlaceAsync(2);
        foreach (var id in placed)
        {
            await orders.WaitForStatusAsync(id, OrderStatus.Confirmed, Timeout);
        }

        var expected = new List<string>();
        foreach (var id in placed)
        {
            expected.AddRange((await orders.OutboxEventTypesAsync(id)).Select(type => $"{id}:{type}"));
        }

        await Eventually.TrueAsync(() => expected.All(calls.Saw), Timeout, "every order event was delivered");

        // One queue, one consumer: a marker published last arrives after anything delivered twice.
        var marker = IntegrationEvent.Create("marker-" + Guid.NewGuid().ToString("N"), "order.created", new { marker = true }, DateTime.UtcNow);
        await relayAndConsumer.Outbox.AddAsync(marker, CancellationToken.None);
        await Eventually.TrueAsync(() => calls.Saw(marker.Id), Timeout, "the marker was handled");

        Assert.All(statuses, s => Assert.Equal(202, s));
        Assert.Equal(10, placed.Distinct().Count());
        Assert.Equal(30, expected.Count);
        Assert.All(expected, id => Assert.Equal(1, calls.CountFor(id)));
        Assert.Equal(0, (await relayAndConsumer.Relay.GetBacklogAsync(CancellationToken.None)).Count);
        output.WriteLine($"{expected.Count} events of {placed.Count} orders, each delivered once");
    }
}
