using System.Text;
using Shop.Orders.Api;
using Shop.Shared.Http;

namespace Shop.UnitTests.Orders;

public sealed class PlaceOrderRequestTests
{
    private const string Product = "0123456789abcdef0123456789abcdef";

    private static PlaceOrderRequest Parse(string json) => JsonBody.Parse<PlaceOrderRequest>(Encoding.UTF8.GetBytes(json));

    private static string Valid(string country = "DE", int quantity = 2, string line2 = "") =>
        $$"""
        {"items":[{"productId":"{{Product}}","quantity":{{quantity}}}],
         "shippingAddress":{"name":"Grace Hopper","line1":"Main St 1",{{line2}}"city":"Berlin","postalCode":"10115","country":"{{country}}"},
         "paymentToken":"tok_approve"}
        """;

    [Fact]
    public void A_valid_order_parses()
    {
        var request = Parse(Valid(line2: "\"line2\":\"Floor 3\","));

        Assert.Equal(2, request.Items![0].Quantity);
        Assert.Equal("Floor 3", request.ShippingAddress!.Line2);
    }

    [Fact]
    public void The_fingerprint_ignores_whitespace_and_property_order_but_not_values()
    {
        var compact = Parse(Valid());
        var reordered = Parse($$"""
            {  "paymentToken" : "tok_approve",
               "shippingAddress": {"country":"DE","postalCode":"10115","city":"Berlin","line1":"Main St 1","name":"Grace Hopper"},
               "items": [ { "quantity": 2, "productId": "{{Product}}" } ] }
            """);

        Assert.Equal(compact.Fingerprint(), reordered.Fingerprint());
        Assert.NotEqual(compact.Fingerprint(), Parse(Valid(quantity: 3)).Fingerprint());
        Assert.NotEqual(compact.Fingerprint(), Parse(Valid(country: "AT")).Fingerprint());
        Assert.Matches("^[0-9a-f]{64}$", compact.Fingerprint());
    }

    [Theory]
    [InlineData("DE", true)]
    [InlineData("GB", true)]
    [InlineData("XK", false)]
    [InlineData("UK", false)]
    [InlineData("de", false)]
    [InlineData("DEU", false)]
    public void Countries_are_ISO_3166_alpha_2_codes(string code, bool valid) =>
        Assert.Equal(valid, Countries.IsAlpha2(code));

    [Fact]
    public void Validation_errors_name_the_nested_field()
    {
        var problem = Assert.Throws<ProblemException>(() => Parse(Valid(country: "ZZ")));

        Assert.Equal(400, problem.Problem.Status);
        Assert.True(problem.Problem.Errors!.ContainsKey("shippingAddress.country"), string.Join(",", problem.Problem.Errors.Keys));
    }
}
