using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Shop.Shared.Messaging;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Messaging;

public sealed class EventConsumerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static IntegrationEvent OrderPaid(string? id = null) =>
        IntegrationEvent.Create(id ?? "order-" + Guid.NewGuid().ToString("N") + ":order.paid", "order.paid", new { amount = 1999 }, DateTime.UtcNow);

    private static Task<MessagingApp> StartConsumerAsync<THandler>(
        MessagingEnvironment environment, string queue, HandlerCalls calls, HandlerGate? gate = null, int maxAttempts = 5)
        where THandler : class, IEventHandler =>
        StartAsync(environment, services =>
        {
            services.AddSingleton(calls);
            services.AddSingleton(gate ?? new HandlerGate());
            services.AddEventConsumer<THandler>(queue, ["order.*"], options =>
            {
                options.MaxAttempts = maxAttempts;
                options.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
                options.RetryMaxDelay = TimeSpan.FromMilliseconds(50);
            });
        });

    private static async Task<MessagingApp> StartAsync(MessagingEnvironment environment, Action<IServiceCollection> addServices)
    {
        var app = await MessagingApp.CreateAsync(environment, addServices);
        await app.StartAsync();
        return app;
    }

    [SkippableFact]
    public async Task Consumer_acknowledges_only_after_the_handler_finished()
    {
        await using var environment = await MessagingEnvironment.CreateAsync();
        await using var broker = await BrokerProbe.ConnectAsync(environment);
        var queue = environment.Queue("notifications");
        var e = OrderPaid();
        var interrupted = new HandlerCalls();
        var gate = new HandlerGate();
        await using var first = await StartConsumerAsync<GatedHandler>(environment, queue, interrupted, gate);
        await Eventually.TrueAsync(async () => await broker.ConsumerCountAsync(queue) == 1, Timeout, "the consumer subscribed");
        await first.Outbox.AddAsync(e, CancellationToken.None);

        await gate.Started.Task.WaitAsync(Timeout);
        await first.DisposeAsync();

        await Eventually.TrueAsync(async () => await broker.ReadyCountAsync(queue) == 1, Timeout, "the unfinished message went back to the queue");
        var calls = new HandlerCalls();
        await using (await StartConsumerAsync<RecordingHandler>(environment, queue, calls))
        {
            await Eventually.TrueAsync(() => calls.Saw(e.Id), Timeout, "the second consumer handled the event");
            await Eventually.TrueAsync(async () => await broker.ReadyCountAsync(queue) == 0, Timeout, "the queue is empty");
        }

        Assert.True(Assert.Single(calls.All).Redelivered);
        Assert.Equal(0u, await broker.ReadyCountAsync(queue));
        Assert.Equal(0u, await broker.ReadyCountAsync(RabbitMqOptions.DeadLetterQueue(queue)));
    }

    [SkippableFact]
    public async Task Handler_that_always_throws_runs_max_attempts_times_then_the_message_is_dead_lettered()
    {
        await using var environment = await MessagingEnvironment.CreateAsync();
        await using var broker = await BrokerProbe.ConnectAsync(environment);
        var queue = environment.Queue("payments");
        var calls = new HandlerCalls();
        await using var app = await StartConsumerAsync<AlwaysFailingHandler>(environment, queue, calls, maxAttempts: 3);
        await Eventually.TrueAsync(async () => await broker.ConsumerCountAsync(queue) == 1, Timeout, "the consumer subscribed");
        var e = OrderPaid();

        await app.Outbox.AddAsync(e, CancellationToken.None);

        var deadLetters = RabbitMqOptions.DeadLetterQueue(queue);
        await Eventually.TrueAsync(async () => await broker.ReadyCountAsync(deadLetters) == 1, Timeout, "the message reached " + deadLetters);
        Assert.Equal([1, 2, 3], calls.All.Select(c => c.Attempt));
        var dead = Assert.Single(await broker.DrainAsync(deadLetters));
        Assert.Equal(e.Id, dead.MessageId);
        Assert.Equal(2, MessageHeaders.ReadFailedAttempts(dead.Properties.Headers));
        Assert.Contains("payment provider said no", dead.Header(MessageHeaders.LastError), StringComparison.Ordinal);
        Assert.True(dead.Properties.Headers!.ContainsKey("x-death"));
        Assert.Equal(0u, await broker.ReadyCountAsync(queue));
        Assert.Equal(3, calls.All.Count);
        await Eventually.TrueAsync(
            async () => (await MetricsSnapshot.ScrapeAsync(app.Services)).Value("shop_consumer_dead_lettered_total", ("queue", queue)) == 1,
            Timeout, "the dead-lettering was counted");
        Assert.Equal(3, (await MetricsSnapshot.ScrapeAsync(app.Services)).Value("shop_consumer_failures_total", ("queue", queue)));
    }

    [SkippableFact]
    public async Task An_event_id_delivered_twice_is_handled_once()
    {
        await using var environment = await MessagingEnvironment.CreateAsync();
        await using var broker = await BrokerProbe.ConnectAsync(environment);
        var queue = environment.Queue("emails");
        var calls = new HandlerCalls();
        await using var app = await StartConsumerAsync<RecordingHandler>(environment, queue, calls);
        await Eventually.TrueAsync(async () => await broker.ConsumerCountAsync(queue) == 1, Timeout, "the consumer subscribed");
        var id = "order-7:order.paid";
        var marker = "order-8:order.paid";

        await broker.PublishAsync("order.paid", id, BrokerProbe.Envelope(id, "order.paid", new { amount = 1 }));
        await broker.PublishAsync("order.paid", id, BrokerProbe.Envelope(id, "order.paid", new { amount = 1 }));
        await broker.PublishAsync("order.paid", marker, BrokerProbe.Envelope(marker, "order.paid", new { amount = 2 }));

        // One queue, one consumer: the broker delivers in order, so once the marker is handled both copies were settled.
        await Eventually.TrueAsync(() => calls.Saw(marker), Timeout, "the marker event was handled");
        await Eventually.TrueAsync(async () => await broker.ReadyCountAsync(queue) == 0, Timeout, "both copies were acknowledged");
        Assert.Equal(1, calls.CountFor(id));
        Assert.Equal(0u, await broker.ReadyCountAsync(RabbitMqOptions.DeadLetterQueue(queue)));
    }

    [SkippableFact]
    public async Task The_handler_runs_in_the_trace_of_the_request_that_stored_the_event()
    {
        const string traceId = "0af7651916cd43dd8448eb211c80319c";
        await using var environment = await MessagingEnvironment.CreateAsync();
        await using var broker = await BrokerProbe.ConnectAsync(environment);
        var queue = environment.Queue("traced");
        var calls = new HandlerCalls();
        await using var app = await StartConsumerAsync<RecordingHandler>(environment, queue, calls);
        await Eventually.TrueAsync(async () => await broker.ConsumerCountAsync(queue) == 1, Timeout, "the consumer subscribed");
        var e = OrderPaid();

        using (new System.Diagnostics.Activity("request").SetParentId($"00-{traceId}-b7ad6b7169203331-01").Start())
        {
            await app.Outbox.AddAsync(e, CancellationToken.None);
        }

        await Eventually.TrueAsync(() => calls.Saw(e.Id), Timeout, "the event was handled");
        Assert.Equal(traceId, calls.Traces[e.Id]);
    }

    [SkippableFact]
    public async Task With_a_tracer_the_relay_publish_is_a_span_of_the_request_and_the_parent_of_the_handlers_span()
    {
        const string traceId = "5bf92f3577b34da6a3ce929d0e0e4736";
        var spans = new List<System.Diagnostics.Activity>();
        using var tracer = OpenTelemetry.Sdk.CreateTracerProviderBuilder()
            .AddSource([.. Shop.Shared.Observability.TracingRegistration.Sources])
            .AddInMemoryExporter(spans)
            .Build();
        await using var environment = await MessagingEnvironment.CreateAsync();
        await using var broker = await BrokerProbe.ConnectAsync(environment);
        var queue = environment.Queue("spans");
        var calls = new HandlerCalls();
        await using var app = await StartConsumerAsync<RecordingHandler>(environment, queue, calls);
        await Eventually.TrueAsync(async () => await broker.ConsumerCountAsync(queue) == 1, Timeout, "the consumer subscribed");
        var e = OrderPaid();

        System.Diagnostics.ActivitySpanId requestSpan;
        using (var request = new System.Diagnostics.Activity("request").SetParentId($"00-{traceId}-b7ad6b7169203331-01").Start())
        {
            requestSpan = request.SpanId;
            await app.Outbox.AddAsync(e, CancellationToken.None);
        }

        await Eventually.TrueAsync(() => calls.Saw(e.Id), Timeout, "the event was handled");
        tracer.ForceFlush();
        System.Diagnostics.Activity[] ours;
        lock (spans)
        {
            ours = [.. spans.Where(s => s.TraceId.ToString() == traceId)];
        }

        var publish = Assert.Single(ours, s => s.DisplayName == e.Type + " publish");
        var process = Assert.Single(ours, s => s.DisplayName == e.Type + " process");
        Assert.Equal(requestSpan, publish.ParentSpanId);
        Assert.Equal(publish.SpanId, process.ParentSpanId);
        Assert.Equal(System.Diagnostics.ActivityKind.Producer, publish.Kind);
        Assert.Equal(System.Diagnostics.ActivityKind.Consumer, process.Kind);
    }

    [SkippableFact]
    public async Task Unreadable_message_goes_straight_to_the_dead_letter_queue()
    {
        await using var environment = await MessagingEnvironment.CreateAsync();
        await using var broker = await BrokerProbe.ConnectAsync(environment);
        var queue = environment.Queue("audit");
        var calls = new HandlerCalls();
        await using var app = await StartConsumerAsync<RecordingHandler>(environment, queue, calls);
        await Eventually.TrueAsync(async () => await broker.ConsumerCountAsync(queue) == 1, Timeout, "the consumer subscribed");

        await broker.PublishAsync("order.paid", "garbage-1", "this is not JSON");

        await Eventually.TrueAsync(async () => await broker.ReadyCountAsync(RabbitMqOptions.DeadLetterQueue(queue)) == 1, Timeout, "the message was dead-lettered");
        Assert.Empty(calls.All);
    }
}
