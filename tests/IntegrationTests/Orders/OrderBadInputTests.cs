using Shop.Shared.Http;

namespace Shop.IntegrationTests.Orders;

/// <summary>Nothing malformed reaches the idempotency layer, the database or the orchestration: every case is a 400.</summary>
public sealed class OrderBadInputTests
{
    private const string Product = "0123456789abcdef0123456789abcdef";
    private const string Address = """{"name":"Ada","line1":"1 Road","city":"London","postalCode":"N1 9GU","country":"GB"}""";

    private static string Body(string items = $$"""[{"productId":"{{Product}}","quantity":1}]""", string address = Address, string token = "\"tok_approve\"", string extra = "") =>
        $$"""{"items":{{items}},"shippingAddress":{{address}},"paymentToken":{{token}}{{extra}}}""";

    public static TheoryData<string, string> BadBodies => new()
    {
        { "operator object as product id", Body(items: """[{"productId":{"$gt":""},"quantity":1}]""") },
        { "operator object as quantity", Body(items: $$$"""[{"productId":"{{{Product}}}","quantity":{"$gt":0}}]""") },
        { "operator object as token", Body(token: """{"$ne":null}""") },
        { "huge quantity", Body(items: $$"""[{"productId":"{{Product}}","quantity":1000000000000}]""") },
        { "quantity above 1000", Body(items: $$"""[{"productId":"{{Product}}","quantity":1001}]""") },
        { "zero quantity", Body(items: $$"""[{"productId":"{{Product}}","quantity":0}]""") },
        { "negative quantity", Body(items: $$"""[{"productId":"{{Product}}","quantity":-5}]""") },
        { "fractional quantity", Body(items: $$"""[{"productId":"{{Product}}","quantity":1.5}]""") },
        { "quantity as string", Body(items: $$"""[{"productId":"{{Product}}","quantity":"1"}]""") },
        { "client-supplied unit price", Body(items: $$"""[{"productId":"{{Product}}","quantity":1,"unitPrice":1}]""") },
        { "client-supplied total", Body(extra: ""","total":1""") },
        { "unknown top-level field", Body(extra: ""","status":"paid" """) },
        { "unknown address field", Body(address: """{"name":"Ada","line1":"1 Road","city":"London","postalCode":"N1","country":"GB","admin":true}""") },
        { "no items", Body(items: "[]") },
        { "null item", Body(items: "[null]") },
        { "items not an array", Body(items: "{}") },
        { "too many items", Body(items: "[" + string.Join(",", Enumerable.Range(0, 51).Select(i => $$"""{"productId":"{{Ids.New()}}","quantity":1}""")) + "]") },
        { "same product twice", Body(items: $$"""[{"productId":"{{Product}}","quantity":1},{"productId":"{{Product}}","quantity":2}]""") },
        { "product id not an id", Body(items: """[{"productId":"../../etc","quantity":1}]""") },
        { "unknown country", Body(address: """{"name":"Ada","line1":"1 Road","city":"London","postalCode":"N1","country":"XX"}""") },
        { "lower-case country", Body(address: """{"name":"Ada","line1":"1 Road","city":"London","postalCode":"N1","country":"gb"}""") },
        { "name too long", Body(address: $$"""{"name":"{{new string('a', 101)}}","line1":"1 Road","city":"London","postalCode":"N1","country":"GB"}""") },
        { "control character in line1", Body(address: """{"name":"Ada","line1":"1 Road\u0000","city":"London","postalCode":"N1","country":"GB"}""") },
        { "missing city", Body(address: """{"name":"Ada","line1":"1 Road","postalCode":"N1","country":"GB"}""") },
        { "bad postal code", Body(address: """{"name":"Ada","line1":"1 Road","city":"London","postalCode":"N1;DROP","country":"GB"}""") },
        { "missing address", """{"items":[{"productId":"0123456789abcdef0123456789abcdef","quantity":1}],"paymentToken":"tok_approve"}""" },
        { "payment token too long", Body(token: "\"" + new string('t', 65) + "\"") },
        { "payment token with spaces", Body(token: "\"tok approve\"") },
        { "missing payment token", $$"""{"items":[{"productId":"{{Product}}","quantity":1}],"shippingAddress":{{Address}}}""" },
        { "body is an array", "[]" },
        { "body is not json", "items=1" },
        { "duplicate property", Body(extra: ""","paymentToken":"tok_decline" """) },
    };

    [SkippableTheory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_order_bodies_get_400_and_store_nothing(string why, string body)
    {
        await using var app = await OrderTestApp.StartAsync(Fakes.Stock(new CallJournal()).Object);
        var customer = TestTokens.Customer();

        var response = await app.PlaceAsync(body, customer, Guid.NewGuid().ToString());

        Assert.True(response.Status == 400, $"{why}: {response}");
        Assert.Equal("application/problem+json; charset=utf-8", response.ContentType);
        Assert.Equal(0, (await app.ListAsync(customer)).Document.GetProperty("total").GetInt32());
    }

    public static TheoryData<string?> BadKeys => new()
    {
        null,
        "",
        "   ",
        new string('k', 256),
        "clé-non-ascii",
        "tab\tinside",
    };

    [SkippableTheory]
    [MemberData(nameof(BadKeys))]
    public async Task A_missing_or_malformed_Idempotency_Key_is_400(string? key)
    {
        await using var app = await OrderTestApp.StartAsync(Fakes.Stock(new CallJournal()).Object);

        var response = await app.PlaceAsync(Body(), TestTokens.Customer(), key);

        Assert.Equal(400, response.Status);
        Assert.True(response.Document.GetProperty("errors").TryGetProperty("Idempotency-Key", out _), response.ToString());
    }

    [SkippableFact]
    public async Task A_255_character_key_is_accepted()
    {
        await using var app = await OrderTestApp.StartAsync(Fakes.Stock(new CallJournal()).Object);

        var response = await app.PlaceAsync(Body(), TestTokens.Customer(), new string('k', 255));

        Assert.Equal(202, response.Status);
    }

    [SkippableFact]
    public async Task Placing_without_a_bearer_token_is_401_before_anything_else()
    {
        await using var app = await OrderTestApp.StartAsync(Fakes.Stock(new CallJournal()).Object);

        var response = await app.Host.SendAsync("POST", "orders", "not json");

        Assert.Equal(401, response.Status);
    }

    [SkippableFact]
    public async Task A_body_over_16_KiB_is_413()
    {
        await using var app = await OrderTestApp.StartAsync(Fakes.Stock(new CallJournal()).Object);

        var response = await app.PlaceAsync(Body(extra: $$""","pad":"{{new string('x', 17 * 1024)}}" """), TestTokens.Customer(), "k");

        Assert.Equal(413, response.Status);
    }
}
