using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;
using Shop.Products.Catalog;
using Shop.Shared.Caching;

namespace Shop.UnitTests.Products;

public sealed class CatalogCacheSerializerTests
{
    private static readonly ProductView Sample = new("p1", "SKU-1", "Kettle", "A kettle", "kitchen", 1999, "EUR", 7, 3,
        new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), new DateTime(2026, 2, 3, 4, 5, 6, DateTimeKind.Utc));

    [Fact]
    public void A_product_is_written_as_the_reflection_serializer_wrote_it_so_entries_already_in_redis_still_read()
    {
        var written = Serialize(new JsonTypeInfoCacheSerializer<ProductView>(CatalogCacheJson.Default.ProductView), Sample);

        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(Sample, JsonSerializerOptions.Default), written);
    }

    [Fact]
    public void A_page_and_a_missing_product_round_trip()
    {
        var pages = new JsonTypeInfoCacheSerializer<ProductPage>(CatalogCacheJson.Default.ProductPage);
        var products = new JsonTypeInfoCacheSerializer<ProductView?>(CatalogCacheJson.Default.ProductView!);
        var page = new ProductPage([Sample], 1, 20, 1);

        var readPage = pages.Deserialize(new ReadOnlySequence<byte>(Serialize(pages, page)));
        var readMissing = products.Deserialize(new ReadOnlySequence<byte>(Serialize(products, null)));

        Assert.Equal(Sample, Assert.Single(readPage.Items));
        Assert.Equal((1, 20, 1L), (readPage.Page, readPage.PageSize, readPage.Total));
        Assert.Null(readMissing);
    }

    private static byte[] Serialize<T>(IHybridCacheSerializer<T> serializer, T value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        serializer.Serialize(value, buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
