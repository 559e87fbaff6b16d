using Shop.IntegrationTests.Infrastructure;
using Shop.Products.Catalog;

namespace Shop.IntegrationTests.Products;

[Collection(DependencyOutageCollection.Name)]
public sealed class RedisOutageTests
{
    [SkippableFact]
    public async Task With_redis_stopped_reads_answer_200_from_mongodb_and_writes_still_succeed()
    {
        var environment = await ProductTestApp.NewEnvironmentAsync();
        Skip.IfNot(LocalServers.Controls("SHOP_TEST_REDIS", environment.Servers.Redis), "This test stops Redis, which only works with the Redis of scripts/servers.sh.");
        await using var app = await ProductTestApp.StartAsync(environment);
        var created = await app.CreateProductAsync();
        Assert.Equal(200, (await app.GetAsync(created.Id)).Status);

        await LocalServers.StopAsync("redis");
        try
        {
            var read = await app.GetAsync(created.Id);
            var list = await app.ListAsync();
            var replaced = await app.ReplaceAsync(created.Id, ProductTestApp.SampleInput(sku: created.Sku, name: "Renamed while Redis was down"), "\"1\"");
            var readAfterWrite = await app.GetAsync(created.Id);

            Assert.Equal(200, read.Status);
            Assert.Equal(200, list.Status);
            Assert.Equal(200, replaced.Status);
            Assert.Equal("Renamed while Redis was down", readAfterWrite.Json<ProductView>().Name);
        }
        finally
        {
            await LocalServers.StartAsync("redis");
        }

        await Eventually.TrueAsync(async () => (await app.GetAsync(created.Id)).Status == 200, TimeSpan.FromSeconds(30), "reads work again after Redis is back");
    }
}
