using System.Diagnostics;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;
using Shop.Testing.Infrastructure;
using Shop.Orders;
using Shop.Orders.Documents;
using Shop.Orders.Payments;
using Shop.Orders.Stock;
using Shop.Shared.Messaging;
using Shop.Shared.Mongo;
using Shop.Testing.Dispatch;
using Shop.Testing.Durable;
using Shop.Testing.Hosting;

namespace Shop.Testing.Apps;

/// <summary>
/// OrderFunctions in process: its functions through <see cref="FunctionTestHost"/> (real middleware and DI, its own
/// database on the real servers) and the real Durable Task engine in memory running the real orchestrator and
/// activities, whose client is passed to the functions as their [DurableClient] argument.
/// </summary>
public sealed class OrderTestApp : IAsyncDisposable
{
    public const string InternalKey = "internal-test-key-0123456789abcdef";

    private static readonly ILoggerFactory s_durableLogs = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));

    private OrderTestApp(FunctionTestHost host, DurableTaskTestHost durable, string database)
    {
        Host = host;
        Durable = durable;
        Database = database;
    }

    public FunctionTestHost Host { get; }

    public DurableTaskTestHost Durable { get; }

    public DurableTaskClient Client => Durable.Client;

    public string Database { get; }

    /// <param name="stock">Replaces the HTTP stock client (a mock, or a client routed to an in-process ProductFunctions).</param>
    /// <param name="payments">Replaces the sandbox gateway.</param>
    /// <param name="durableWorkItemLimit">The engine's concurrent work items (<see cref="InProcessDurableEngine"/>).</param>
    public static async Task<OrderTestApp> StartAsync(
        IStockClient? stock = null,
        IPaymentGateway? payments = null,
        IDictionary<string, string?>? extraSettings = null,
        Action<IServiceCollection>? overrides = null,
        int durableWorkItemLimit = InProcessDurableEngine.WideWorkItemLimit)
    {
        var environment = await AppEnvironment.NewAsync("orders");
        var appSettings = TestTokens.ValidationSettings();
        appSettings["Internal:OutgoingApiKey"] = InternalKey;
        appSettings["Orders:ProductsBaseUrl"] = "http://products.test/api/";
        appSettings["Orders:ProductsFunctionKey"] = "products-function-key";
        appSettings["Orders:ActivityRetry:MaxAttempts"] = "4";
        appSettings["Orders:ActivityRetry:FirstRetryInterval"] = "00:00:00.100";
        appSettings["Orders:ActivityRetry:MaxRetryInterval"] = "00:00:00.500";
        appSettings["Orders:DuplicateWait"] = "00:00:20";
        appSettings["Payments:TransientFailures"] = "2";
        var settings = environment.Settings(appSettings, extraSettings);

        var host = FunctionTestHost.Create(settings, (services, configuration) => services.AddOrders(configuration), services =>
        {
            if (stock is not null)
            {
                services.AddSingleton(stock);
            }

            if (payments is not null)
            {
                services.AddSingleton(payments);
            }

            overrides?.Invoke(services);
        }, FunctionDispatcher.FunctionClassesOf(typeof(OrderRegistration).Assembly));
        await host.Get<MongoIndexInitializer>().EnsureAllAsync(CancellationToken.None);
        var durable = await InProcessDurableEngine.StartOnFreePortAsync(
            registry => OrderWorkflowRegistry.Register(registry, host.Services), s_durableLogs, durableWorkItemLimit);
        host.Bindings.With(durable.Client);
        return new OrderTestApp(host, durable, environment.Database);
    }

    public static object SampleOrder(string productId, int quantity = 1, string paymentToken = SandboxPaymentGateway.Approve) => new
    {
        items = new[] { new { productId, quantity } },
        shippingAddress = new { name = "Ada Lovelace", line1 = "12 St James's Square", city = "London", postalCode = "SW1Y 4JH", country = "GB" },
        paymentToken,
    };

    public Task<TestResponse> PlaceAsync(object body, string token, string? idempotencyKey)
    {
        var headers = idempotencyKey is null ? [] : new Dictionary<string, string> { ["Idempotency-Key"] = idempotencyKey };
        return Host.SendAsync("POST", "orders", body, token, headers);
    }

    /// <summary>Places an order with a fresh key and returns its id (asserting 202).</summary>
    public async Task<string> PlaceOrderAsync(string token, string productId, int quantity = 1, string paymentToken = SandboxPaymentGateway.Approve)
    {
        var response = await PlaceAsync(SampleOrder(productId, quantity, paymentToken), token, Guid.NewGuid().ToString());
        if (response.Status != 202)
        {
            throw new InvalidOperationException("Placing an order: " + response);
        }

        return response.Document.GetProperty("orderId").GetString()!;
    }

    public Task<TestResponse> ListAsync(string token, string query = "") =>
        Host.SendAsync("GET", "orders" + query, bearer: token);

    public Task<TestResponse> GetAsync(string id, string? token) =>
        Host.SendAsync("GET", $"orders/{id}", bearer: token);

    public Task<TestResponse> StatusAsync(string id, string? token) =>
        Host.SendAsync("GET", $"orders/{id}/status", bearer: token);

    public Task<TestResponse> CancelAsync(string id, string? token) =>
        Host.SendAsync("POST", $"orders/{id}/cancel", bearer: token);

    /// <param name="durable">Another engine's client than <see cref="Client"/> (a test that swaps workers).</param>
    public Task<TestResponse> ShipAsync(string id, string? token, DurableTaskClient? durable = null) =>
        SendWithClientAsync(RequestSpec.Of("POST", $"orders/{id}/ship", bearer: token), durable);

    /// <param name="durable">Another engine's client than <see cref="Client"/> (a test that swaps workers).</param>
    public Task<TestResponse> DeliverAsync(string id, string? token, DurableTaskClient? durable = null) =>
        SendWithClientAsync(RequestSpec.Of("POST", $"orders/{id}/deliver", bearer: token), durable);

    private Task<TestResponse> SendWithClientAsync(RequestSpec spec, DurableTaskClient? durable) =>
        durable is null ? Host.SendAsync(spec) : Host.SendAsync(spec, new FunctionBindings().With(durable));

    public Task<Order?> ReadOrderAsync(string id) => Host.Get<OrderStore>().FindAsync(id, CancellationToken.None);

    public IMongoCollection<T> Collection<T>(string name) => Host.Get<IMongoDatabase>().GetCollection<T>(name);

    /// <summary>The types of the events the order put in the outbox, sorted.</summary>
    public async Task<IReadOnlyList<string>> OutboxEventTypesAsync(string orderId)
    {
        var documents = await Collection<BsonDocument>(MongoOutbox.CollectionName)
            .Find(Builders<BsonDocument>.Filter.Regex("_id", new BsonRegularExpression("^" + orderId + ":")))
            .ToListAsync();
        return [.. documents.Select(d => d["type"].AsString).Order(StringComparer.Ordinal)];
    }

    /// <summary>Polls the order document until it reaches the status (never a fixed sleep).</summary>
    public async Task<Order> WaitForStatusAsync(string id, OrderStatus status, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var order = await ReadOrderAsync(id);
            if (order?.Status == status)
            {
                return order;
            }

            if (clock.Elapsed > limit)
            {
                var instance = await Client.GetInstanceAsync(id, getInputsAndOutputs: true);
                throw new TimeoutException($"Order {id} did not reach {status} within {limit.TotalSeconds:0} s; it is {order?.Status}; " +
                    $"orchestration {instance?.RuntimeStatus} {instance?.SerializedCustomStatus} {instance?.FailureDetails}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Polls the status endpoint until the orchestration reports the step (its custom status).</summary>
    public async Task<TestResponse> WaitForStepAsync(string id, string step, string token, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await StatusAsync(id, token);
            if (status.Status == 200 && status.Document.TryGetProperty("step", out var current) && current.GetString() == step)
            {
                return status;
            }

            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"Order {id} did not reach step {step} within {limit.TotalSeconds:0} s: {status}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits for the orchestration to finish (the engine's own wait, bounded by a deadline).</summary>
    public async Task<OrchestrationMetadata> WaitForCompletionAsync(string id, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var metadata = await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, deadline.Token);
        if (metadata.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            throw new InvalidOperationException($"Orchestration {id} ended {metadata.RuntimeStatus}: {metadata.FailureDetails}");
        }

        return metadata;
    }

    public async ValueTask DisposeAsync()
    {
        await Durable.DisposeAsync();
        await Host.DisposeAsync();
    }
}
