using Microsoft.DurableTask.Client;
using MongoDB.Driver;
using Shop.IntegrationTests.Infrastructure;
using Shop.Orders.Api;
using Shop.Orders.Documents;
using Shop.Orders.Stock;
using Shop.Orders.Workflow;
using Shop.Shared.Http;
using Shop.Shared.Http.Idempotency;

namespace Shop.IntegrationTests.Orders;

/// <summary>POST /api/orders with Stripe's Idempotency-Key semantics, through the real middleware and database.</summary>
public sealed class IdempotencyTests
{
    private static readonly string ProductId = Ids.New();

    private readonly CallJournal _journal = new();

    [SkippableFact]
    public async Task Twenty_concurrent_posts_with_one_key_make_one_order_one_orchestration_and_identical_responses()
    {
        await using var app = await OrderTestApp.StartAsync(Fakes.Stock(_journal).Object);
        var customer = TestTokens.Customer();
        var key = Guid.NewGuid().ToString();
        var body = OrderTestApp.SampleOrder(ProductId, 3);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => app.PlaceAsync(body, customer, key)));
        var orderId = responses[0].Document.GetProperty("orderId").GetString()!;
        await app.WaitForStatusAsync(orderId, OrderStatus.Confirmed);
        var list = await app.ListAsync(customer);
        var instance = await app.Client.GetInstanceAsync(orderId, getInputsAndOutputs: true);

        Assert.All(responses, r => Assert.Equal(202, r.Status));
        Assert.Single(responses.Select(r => r.Body).Distinct());
        Assert.Single(responses.Select(r => r.Headers["Location"]).Distinct());
        Assert.Equal(19, responses.Count(r => r.Headers.ContainsKey(StoredJsonResponse.ReplayedHeader)));
        Assert.Equal(1, list.Document.GetProperty("total").GetInt64());
        Assert.Equal(1, _journal.Count("reserve"));
        Assert.Equal(OrchestrationRuntimeStatus.Running, instance!.RuntimeStatus);
        Assert.Equal(1, await app.Collection<IdempotencyRecord>(IdempotencyStore.CollectionName).CountDocumentsAsync(FilterDefinition<IdempotencyRecord>.Empty));
    }

    [SkippableFact]
    public async Task The_same_key_and_body_later_replays_the_first_response_exactly()
    {
        await using var app = await OrderTestApp.StartAsync(Fakes.Stock(_journal).Object);
        var customer = TestTokens.Customer();
        var key = "order-2024-0001";
        var body = OrderTestApp.SampleOrder(ProductId, 1);

        var first = await app.PlaceAsync(body, customer, key);
        await app.WaitForStatusAsync(first.Document.GetProperty("orderId").GetString()!, OrderStatus.Confirmed);
        var reordered = """
            {"paymentToken":"tok_approve","shippingAddress":{"country":"GB","postalCode":"SW1Y 4JH","city":"London",
             "line1":"12 St James's Square","name":"Ada Lovelace"},"items":[{"quantity":1,"productId":"PRODUCT"}]}
            """.Replace("PRODUCT", ProductId, StringComparison.Ordinal);
        var replay = await app.PlaceAsync(reordered, customer, key);

        Assert.Equal(202, first.Status);
        Assert.Equal((first.Status, first.Body, first.Headers["Location"]), (replay.Status, replay.Body, replay.Headers["Location"]));
        Assert.Equal("pending", replay.Document.GetProperty("status").GetString());
        Assert.Equal("true", replay.Headers[StoredJsonResponse.ReplayedHeader]);
        Assert.False(first.Headers.ContainsKey(StoredJsonResponse.ReplayedHeader));
        Assert.Equal(1, _journal.Count("reserve"));
    }

    [SkippableFact]
    public async Task The_same_key_with_another_body_is_422_and_changes_nothing()
    {
        await using var app = await OrderTestApp.StartAsync(Fakes.Stock(_journal).Object);
        var customer = TestTokens.Customer();
        var first = await app.PlaceAsync(OrderTestApp.SampleOrder(ProductId, 1), customer, "key-1");

        var other = await app.PlaceAsync(OrderTestApp.SampleOrder(ProductId, 2), customer, "key-1");

        Assert.Equal(202, first.Status);
        Assert.Equal(422, other.Status);
        Assert.EndsWith("idempotency-key-reused", other.Document.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, (await app.ListAsync(customer)).Document.GetProperty("total").GetInt64());
    }

    [SkippableFact]
    public async Task Keys_are_per_user_so_two_customers_may_use_the_same_key()
    {
        await using var app = await OrderTestApp.StartAsync(Fakes.Stock(_journal).Object);

        var first = await app.PlaceAsync(OrderTestApp.SampleOrder(ProductId, 1), TestTokens.Customer(), "shared-key");
        var second = await app.PlaceAsync(OrderTestApp.SampleOrder(ProductId, 2), TestTokens.Customer(), "shared-key");

        Assert.Equal((202, 202), (first.Status, second.Status));
        Assert.NotEqual(first.Document.GetProperty("orderId").GetString(), second.Document.GetProperty("orderId").GetString());
    }

    [SkippableFact]
    public async Task A_duplicate_while_the_first_request_is_still_running_gets_409_with_Retry_After()
    {
        await using var app = await OrderTestApp.StartAsync(
            Fakes.Stock(_journal).Object, extraSettings: new Dictionary<string, string?> { ["Orders:DuplicateWait"] = "00:00:00.200" });
        var userId = Ids.New();
        var body = OrderTestApp.SampleOrder(ProductId, 1);
        var hash = Shop.Shared.Http.JsonBody.Parse<PlaceOrderRequest>(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(body, Shop.Shared.Json.ShopJson.Options)).Fingerprint();
        await app.Host.Get<IdempotencyStore>().TryInsertAsync(InProgress(userId, "busy-key", hash, lockedFor: TimeSpan.FromMinutes(1)), CancellationToken.None);

        var duplicate = await app.PlaceAsync(body, TestTokens.Customer(userId), "busy-key");

        Assert.Equal(409, duplicate.Status);
        Assert.EndsWith("request-in-progress", duplicate.Document.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.True(int.Parse(duplicate.Headers["Retry-After"], System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(0, _journal.Count("reserve"));
    }

    [SkippableFact]
    public async Task An_attempt_that_died_while_in_progress_is_taken_over_after_its_lease()
    {
        await using var app = await OrderTestApp.StartAsync(Fakes.Stock(_journal).Object);
        var userId = Ids.New();
        var body = OrderTestApp.SampleOrder(ProductId, 1);
        var hash = Shop.Shared.Http.JsonBody.Parse<PlaceOrderRequest>(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(body, Shop.Shared.Json.ShopJson.Options)).Fingerprint();
        await app.Host.Get<IdempotencyStore>().TryInsertAsync(InProgress(userId, "dead-key", hash, lockedFor: TimeSpan.FromSeconds(-1)), CancellationToken.None);

        var retry = await app.PlaceAsync(body, TestTokens.Customer(userId), "dead-key");
        var record = await app.Host.Get<IdempotencyStore>().FindAsync(IdempotencyRecord.IdFor(userId, "dead-key"), CancellationToken.None);

        Assert.Equal(202, retry.Status);
        Assert.Equal((IdempotencyState.Completed, 202), (record!.State, record.ResponseStatus));
    }

    [SkippableFact]
    public async Task Scheduling_an_order_whose_orchestration_exists_never_starts_a_second_one()
    {
        await using var app = await OrderTestApp.StartAsync(Fakes.Stock(_journal).Object);
        var customer = TestTokens.Customer();
        var orderId = await app.PlaceOrderAsync(customer, ProductId);
        await app.WaitForStatusAsync(orderId, OrderStatus.Confirmed);
        var before = (await app.Client.GetInstanceAsync(orderId, getInputsAndOutputs: true))!;
        var input = before.ReadInputAs<OrderInput>()!;
        var starter = app.Host.Get<OrderWorkflowStarter>();

        var startedAgain = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => starter.EnsureStartedAsync(app.Client, input with { PaymentReference = "another-reference" }, CancellationToken.None)));
        var after = (await app.Client.GetInstanceAsync(orderId, getInputsAndOutputs: true))!;

        Assert.All(startedAgain, Assert.False);
        Assert.Equal(before.CreatedAt, after.CreatedAt);
        Assert.Equal(OrchestrationRuntimeStatus.Running, after.RuntimeStatus);
        Assert.Equal(orderId, after.ReadInputAs<OrderInput>()!.PaymentReference);
        Assert.Equal(1, _journal.Count("reserve"));
    }

    [SkippableFact]
    public async Task Two_racing_starts_of_a_new_instance_schedule_it_exactly_once()
    {
        await using var app = await OrderTestApp.StartAsync(Fakes.Stock(_journal, rejectWith: "insufficient-stock").Object);
        var starter = app.Host.Get<OrderWorkflowStarter>();
        var orderId = OrderPlacement.OrderIdFor(Ids.New(), "race");
        await app.Host.Get<OrderStore>().TryInsertAsync(NewOrder(orderId), CancellationToken.None);
        var input = new OrderInput(orderId, "user", [new StockItem(ProductId, 1)], orderId, TimeSpan.FromDays(1), new RetrySettings(2, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1)));

        var started = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => starter.EnsureStartedAsync(app.Client, input, CancellationToken.None)));
        await app.WaitForCompletionAsync(orderId);

        Assert.Single(started, s => s);
        Assert.Equal(1, _journal.Count("reserve"));
    }

    private static IdempotencyRecord InProgress(string userId, string key, string hash, TimeSpan lockedFor)
    {
        var now = DateTime.UtcNow;
        return new IdempotencyRecord
        {
            Id = IdempotencyRecord.IdFor(userId, key),
            UserId = userId,
            RequestHash = hash,
            State = IdempotencyState.InProgress,
            LockToken = Ids.New(),
            LockedUntil = now + lockedFor,
            CreatedAt = now,
            ExpiresAt = now.AddDays(1),
        };
    }

    private static Order NewOrder(string orderId)
    {
        var now = DateTime.UtcNow;
        return new Order
        {
            Id = orderId,
            UserId = "user",
            Status = OrderStatus.Pending,
            RequestHash = "",
            Items = [new OrderLine(ProductId, 1)],
            ShippingAddress = new ShippingAddress("A", "B", null, "C", "D", "GB"),
            History = [new StatusChange(OrderStatus.Pending, now)],
            Reached = new() { [nameof(OrderStatus.Pending)] = now },
            CreatedAt = now,
            UpdatedAt = now,
        };
    }
}
