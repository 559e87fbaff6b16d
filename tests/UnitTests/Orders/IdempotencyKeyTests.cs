using Shop.Orders.Api;
using Shop.Shared.Http;
using Shop.Shared.Http.Idempotency;

namespace Shop.UnitTests.Orders;

public sealed class IdempotencyKeyTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e", true)]
    [InlineData("with space inside", true)]
    [InlineData("~!@#$%^&*()_+{}|:<>?", true)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("é", false)]
    [InlineData("line\nbreak", false)]
    [InlineData("key-1, key-2", false)]
    public void Keys_are_1_to_255_printable_ASCII_characters_without_commas(string key, bool valid) =>
        Assert.Equal(valid, IdempotencyKey.IsValid(key));

    [Fact]
    public void Length_limit_is_255()
    {
        Assert.True(IdempotencyKey.IsValid(new string('k', 255)));
        Assert.False(IdempotencyKey.IsValid(new string('k', 256)));
    }

    [Fact]
    public void The_order_id_is_deterministic_per_user_and_key_and_a_valid_route_id()
    {
        var first = OrderPlacement.OrderIdFor("user-1", "key-1");

        Assert.Equal(first, OrderPlacement.OrderIdFor("user-1", "key-1"));
        Assert.NotEqual(first, OrderPlacement.OrderIdFor("user-2", "key-1"));
        Assert.NotEqual(first, OrderPlacement.OrderIdFor("user-1", "key-2"));
        Assert.True(Ids.IsValid(first));
    }
}
