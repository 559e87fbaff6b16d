using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Shop.IntegrationTests.Infrastructure;
using Shop.Shared.Messaging;
using Xunit.Abstractions;

namespace Shop.IntegrationTests.Messaging;

[Collection(DependencyOutageCollection.Name)]
public sealed class BrokerOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [SkippableFact]
    public async Task Events_stored_while_RabbitMQ_is_down_arrive_exactly_once_after_it_is_back()
    {
        await using var environment = await MessagingEnvironment.CreateAsync();
        Skip.IfNot(LocalServers.Controls("SHOP_TEST_RABBITMQ_URI", environment.Servers.RabbitMqUri), "This test stops and starts RabbitMQ, which only works with the broker of scripts/servers.sh.");
        var queue = environment.Queue("outage");
        var calls = new HandlerCalls();
        await using var app = await MessagingApp.CreateAsync(environment, services =>
        {
            services.AddSingleton(calls);
            services.AddEventConsumer<RecordingHandler>(queue, ["order.*"]);
        });
        await app.StartAsync();
        var before = Events("before", 5);
        foreach (var e in before)
        {
            await app.Outbox.AddAsync(e, CancellationToken.None);
        }

        await Eventually.TrueAsync(() => before.All(e => calls.Saw(e.Id)), Timeout, "events before the outage were handled");

        var clock = Stopwatch.StartNew();
        try
        {
            await LocalServers.StopAsync("rabbitmq");
            var stopped = clock.Elapsed;
            var during = Events("during", 10);
            foreach (var e in during)
            {
                await app.Outbox.AddAsync(e, CancellationToken.None);
            }

            var publishedWhileDown = await TryRelayAsync(app.Relay);
            var backlogWhileDown = await app.Relay.GetBacklogAsync(CancellationToken.None);
            Assert.Equal(0, publishedWhileDown);
            Assert.Equal(during.Count, backlogWhileDown.Count);
            Assert.False(app.Relay.ExecuteTask!.IsCompleted, "the relay loop must survive the outage");

            clock.Restart();
            await LocalServers.StartAsync("rabbitmq");
            var started = clock.Elapsed;
            await Eventually.TrueAsync(() => during.All(e => calls.Saw(e.Id)), Timeout, "events stored during the outage were handled");
            var delivered = clock.Elapsed;

            // A last event: one queue and one consumer deliver in order, so anything sent twice would show up before it.
            var marker = Events("marker", 1)[0];
            await app.Outbox.AddAsync(marker, CancellationToken.None);
            await Eventually.TrueAsync(() => calls.Saw(marker.Id), Timeout, "the marker was handled");

            Assert.All(before.Concat(during), e => Assert.Equal(1, calls.CountFor(e.Id)));
            Assert.Equal(0, (await app.Relay.GetBacklogAsync(CancellationToken.None)).Count);
            output.WriteLine($"stop took {stopped.TotalSeconds:0.0} s; start took {started.TotalSeconds:0.0} s; " +
                $"all {during.Count} events stored while down were handled {(delivered - started).TotalSeconds:0.0} s after the broker was up");
        }
        finally
        {
            await LocalServers.StartAsync("rabbitmq");
        }
    }

    private static List<IntegrationEvent> Events(string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i =>
            IntegrationEvent.Create($"{prefix}-{i}-{Guid.NewGuid():N}", "order.created", new { index = i }, DateTime.UtcNow))];

    private static async Task<int> TryRelayAsync(OutboxRelay relay)
    {
        try
        {
            return await relay.RelayPendingAsync(CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return 0;
        }
    }
}
