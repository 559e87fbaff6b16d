using Microsoft.Extensions.Caching.Hybrid;
using Shop.Products.Catalog;

namespace Shop.IntegrationTests.Products;

public sealed class CacheTests
{
    [SkippableFact]
    public async Task A_write_is_visible_to_the_next_read_on_the_same_instance()
    {
        await using var app = await ProductTestApp.StartAsync();
        var created = await app.CreateProductAsync();
        await app.GetAsync(created.Id);

        await app.ReplaceAsync(created.Id, ProductTestApp.SampleInput(sku: created.Sku, name: "Renamed"), "\"1\"");
        var read = await app.GetAsync(created.Id);

        Assert.Equal("\"2\"", read.Headers["ETag"]);
        Assert.Equal("Renamed", read.Json<ProductView>().Name);
    }

    [SkippableFact]
    public async Task A_reservation_evicts_the_cached_product_and_list_pages()
    {
        await using var app = await ProductTestApp.StartAsync();
        var created = await app.CreateProductAsync(stock: 5);
        await app.GetAsync(created.Id);
        await app.ListAsync();

        await app.ReserveAsync(new { orderId = "order-cache", items = new[] { new { productId = created.Id, quantity = 2 } } });
        var read = (await app.GetAsync(created.Id)).Json<ProductView>();
        var listed = (await app.ListAsync()).Json<ProductPage>().Items.Single();

        Assert.Equal(3, read.Stock);
        Assert.Equal(3, listed.Stock);
    }

    [SkippableFact]
    public async Task A_second_instance_sees_a_write_once_its_local_copy_expires()
    {
        var environment = await ProductTestApp.NewEnvironmentAsync();
        var settings = new Dictionary<string, string?> { ["Cache:LocalExpiration"] = "00:00:00.200" };
        await using var writer = await ProductTestApp.StartAsync(environment, settings);
        await using var reader = await ProductTestApp.StartAsync(environment, settings);
        var created = await writer.CreateProductAsync();
        await reader.GetAsync(created.Id);

        await writer.ReplaceAsync(created.Id, ProductTestApp.SampleInput(sku: created.Sku, name: "Renamed"), "\"1\"");
        var deadline = DateTime.UtcNow.AddSeconds(5);
        string? etag;
        do
        {
            etag = (await reader.GetAsync(created.Id)).Headers["ETag"];
        }
        while (etag != "\"2\"" && DateTime.UtcNow < deadline);

        Assert.Equal("\"2\"", etag);
    }

    [SkippableFact]
    public async Task With_redis_unreachable_reads_and_writes_still_succeed()
    {
        var environment = await ProductTestApp.NewEnvironmentAsync();
        environment = environment with { Servers = environment.Servers with { Redis = "127.0.0.1:1" } };
        await using var app = await ProductTestApp.StartAsync(environment);

        var created = await app.CreateProductAsync();
        var read = await app.GetAsync(created.Id);
        var list = await app.ListAsync();
        var replaced = await app.ReplaceAsync(created.Id, ProductTestApp.SampleInput(sku: created.Sku, name: "Renamed"), "\"1\"");
        var readAgain = await app.GetAsync(created.Id);

        Assert.Equal(200, read.Status);
        Assert.Equal(200, list.Status);
        Assert.Equal(200, replaced.Status);
        Assert.Equal("Renamed", readAgain.Json<ProductView>().Name);
    }

    [SkippableFact]
    public async Task Fifty_concurrent_reads_of_a_missing_entry_fill_it_once()
    {
        await using var app = await ProductTestApp.StartAsync();
        var cache = app.Host.Get<HybridCache>();
        var fills = 0;
        var key = "stampede:" + Guid.NewGuid().ToString("N");
        var gate = new TaskCompletionSource();

        var reads = Enumerable.Range(0, 50).Select(_ => cache.GetOrCreateAsync(key, async ct =>
        {
            Interlocked.Increment(ref fills);
            await gate.Task.WaitAsync(ct);
            return "value";
        }).AsTask()).ToList();
        gate.SetResult();
        var values = await Task.WhenAll(reads);

        Assert.Equal(1, fills);
        Assert.All(values, v => Assert.Equal("value", v));
    }
}
