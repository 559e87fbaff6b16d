using Shop.Products.Catalog;
using Shop.Products.Reservations;

namespace Shop.UnitTests.Products;

/// <summary>The one-round-trip take tells its outcome from the product as it was before the update.</summary>
public sealed class StockTakeTests
{
    private static Product Kettle(int stock, params (string OrderId, int Quantity)[] held) => new()
    {
        Id = "p1", Sku = "SKU-1", Name = "Kettle", Description = "A kettle", Category = "kitchen", Price = 1999, Currency = "EUR",
        Stock = stock, Version = 3, CreatedAt = DateTime.UnixEpoch, UpdatedAt = DateTime.UnixEpoch,
        ReservedFor = held.ToDictionary(h => h.OrderId, h => h.Quantity),
    };

    [Fact]
    public void Enough_stock_and_no_marker_is_a_take_whose_after_holds_the_marker_and_the_next_version()
    {
        var take = StockTake.Of(Kettle(5), "o1", 5);

        Assert.Equal(StockTakeOutcome.Taken, take.Outcome);
        Assert.Equal((0, 4L, 5), (take.After!.Stock, take.After.Version, take.After.ReservedFor["o1"]));
        Assert.Empty(take.Before!.ReservedFor);
    }

    [Fact]
    public void A_marker_of_the_order_is_a_repeat_whatever_the_stock_and_names_the_quantity_held()
    {
        var take = StockTake.Of(Kettle(0, ("o1", 2)), "o1", 2);

        Assert.Equal((StockTakeOutcome.AlreadyHeld, 2), (take.Outcome, take.HeldQuantity));
        Assert.Null(take.After);
    }

    [Fact]
    public void Short_stock_and_no_product_are_rejections_that_changed_nothing()
    {
        var shortTake = StockTake.Of(Kettle(4, ("o2", 1)), "o1", 5);
        var unknown = StockTake.Of(null, "o1", 1);

        Assert.Equal((StockTakeOutcome.InsufficientStock, (int?)null), (shortTake.Outcome, shortTake.HeldQuantity));
        Assert.Equal(StockTakeOutcome.UnknownProduct, unknown.Outcome);
        Assert.Null(shortTake.After);
        Assert.Null(unknown.After);
    }
}
