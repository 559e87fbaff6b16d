using Microsoft.Extensions.DependencyInjection;
using Shop.IntegrationTests.Infrastructure;
using Shop.IntegrationTests.Messaging;
using Shop.Orders.Documents;
using Shop.Shared.Http;
using Shop.Shared.Messaging;
using Xunit.Abstractions;

namespace Shop.IntegrationTests.Faults;

/// <summary>
/// Orders placed through OrderFunctions, their outbox relayed to RabbitMQ and every order event recorded by a consumer:
/// the common ground of the broker fault tests, which differ only in how the broker fails.
/// </summary>
public sealed class OrderEventFlow : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private OrderEventFlow(MessagingEnvironment environment, OrderTestApp orders, MessagingApp relayAndConsumer, HandlerCalls calls)
    {
        Environment = environment;
        Orders = orders;
        RelayAndConsumer = relayAndConsumer;
        Calls = calls;
    }

    public MessagingEnvironment Environment { get; }

    public OrderTestApp Orders { get; }

    public MessagingApp RelayAndConsumer { get; }

    public HandlerCalls Calls { get; }

    /// <summary>Every order accepted so far, in order.</summary>
    public List<string> Placed { get; } = [];

    /// <summary>The status of every placement, accepted or not.</summary>
    public List<int> Statuses { get; } = [];

    /// <summary>Starts the flow on the broker of scripts/servers.sh; skips the test when the tests use another broker.</summary>
    public static async Task<OrderEventFlow> StartAsync(string queueName, string whatTheTestDoes)
    {
        var environment = await MessagingEnvironment.CreateAsync();
        if (!LocalServers.Controls("SHOP_TEST_RABBITMQ_URI", environment.Servers.RabbitMqUri))
        {
            await environment.DisposeAsync();
            Skip.If(true, $"This test {whatTheTestDoes} RabbitMQ, which only works with the broker of scripts/servers.sh.");
        }

        var calls = new HandlerCalls();
        var queue = environment.Queue(queueName);
        var orders = await OrderTestApp.StartAsync(
            Fakes.Stock(new CallJournal()).Object,
            extraSettings: new Dictionary<string, string?> { ["Mongo:Database"] = environment.Database });
        var relayAndConsumer = await MessagingApp.CreateAsync(environment, services =>
        {
            services.AddSingleton(calls);
            services.AddEventConsumer<RecordingHandler>(queue, ["order.*"]);
        });
        await relayAndConsumer.StartAsync();
        return new OrderEventFlow(environment, orders, relayAndConsumer, calls);
    }

    /// <summary>Places orders one after another; returns the ids of those accepted.</summary>
    public async Task<List<string>> PlaceAsync(int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var response = await Orders.PlaceAsync(OrderTestApp.SampleOrder(Ids.New()), TestTokens.Customer(), Guid.NewGuid().ToString());
            Statuses.Add(response.Status);
            if (response.Status == 202)
            {
                ids.Add(response.Document.GetProperty("orderId").GetString()!);
            }
        }

        Placed.AddRange(ids);
        return ids;
    }

    /// <summary>Waits until the orders are confirmed and the consumer saw every event they stored; returns those event ids.</summary>
    public async Task<List<string>> WaitForAllEventsAsync(IReadOnlyList<string> ids, string what)
    {
        foreach (var id in ids)
        {
            await Orders.WaitForStatusAsync(id, OrderStatus.Confirmed, Timeout);
        }

        var expected = new List<string>();
        foreach (var id in ids)
        {
            expected.AddRange((await Orders.OutboxEventTypesAsync(id)).Select(type => $"{id}:{type}"));
        }

        await Eventually.TrueAsync(() => expected.All(Calls.Saw), Timeout, what);
        return expected;
    }

    /// <summary>One queue, one consumer: a marker published last arrives after anything delivered twice.</summary>
    public async Task WaitForLateDuplicatesAsync()
    {
        var marker = IntegrationEvent.Create("marker-" + Guid.NewGuid().ToString("N"), "order.created", new { marker = true }, DateTime.UtcNow);
        await RelayAndConsumer.Outbox.AddAsync(marker, CancellationToken.None);
        await Eventually.TrueAsync(() => Calls.Saw(marker.Id), Timeout, "the marker was handled");
    }

    /// <summary>
    /// After an outage: two more orders, then every order placed (10 in all, each accepted) has its 3 events handled
    /// exactly once and the outbox is empty.
    /// </summary>
    public async Task AssertEveryEventArrivesOnceAsync(ITestOutputHelper output)
    {
        await PlaceAsync(2);
        var expected = await WaitForAllEventsAsync(Placed, "every order event was delivered");
        await WaitForLateDuplicatesAsync();

        Assert.All(Statuses, s => Assert.Equal(202, s));
        Assert.Equal(10, Placed.Distinct().Count());
        Assert.Equal(30, expected.Count);
        Assert.All(expected, id => Assert.Equal(1, Calls.CountFor(id)));
        Assert.Equal(0, (await RelayAndConsumer.Relay.GetBacklogAsync(CancellationToken.None)).Count);
        output.WriteLine($"{expected.Count} events of {Placed.Count} orders, each handled once");
    }

    public async ValueTask DisposeAsync()
    {
        await RelayAndConsumer.DisposeAsync();
        await Orders.DisposeAsync();
        await Environment.DisposeAsync();
    }
}
