using Shop.Products.Catalog;

namespace Shop.UnitTests.Products;

public sealed class VersioningTests
{
    [Theory]
    [InlineData("\"1\"", 1)]
    [InlineData("\"42\"", 42)]
    [InlineData("  \"7\"  ", 7)]
    public void A_strong_quoted_version_is_the_expected_version(string header, long expected)
    {
        Assert.Equal(new Precondition.Version(expected), Versioning.ParseIfMatch(header));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void No_header_is_missing(string? header)
    {
        Assert.IsType<Precondition.Missing>(Versioning.ParseIfMatch(header));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("W/\"1\"")]
    [InlineData("\"0\"")]
    [InlineData("\"-1\"")]
    [InlineData("\"+1\"")]
    [InlineData("\"1.0\"")]
    [InlineData("\"1\", \"2\"")]
    [InlineData("*")]
    [InlineData("\"\"")]
    [InlineData("\"99999999999999999999\"")]
    [InlineData("\"１\"")]
    public void Anything_else_is_malformed(string header)
    {
        Assert.IsType<Precondition.Malformed>(Versioning.ParseIfMatch(header));
    }

    [Fact]
    public void The_next_version_is_one_more_and_only_the_same_version_is_current()
    {
        var product = new Product
        {
            Id = "p", Sku = "s", Name = "n", Description = "", Category = "c", Price = 1, Currency = "EUR", Stock = 1,
            Version = 3, CreatedAt = DateTime.UnixEpoch, UpdatedAt = DateTime.UnixEpoch,
        };

        Assert.Equal(4, Versioning.Next(3));
        Assert.True(Versioning.IsCurrent(product, 3));
        Assert.False(Versioning.IsCurrent(product, 2));
        Assert.False(Versioning.IsCurrent(product, 4));
    }
}
