
namespace Shop.IntegrationTests.Products;

public sealed class OptimisticLockingTests
{
    [SkippableFact]
    public async Task Fifty_writers_times_twenty_updates_with_retry_on_412_lose_no_update()
    {
        const int writers = 50;
        const int updatesEach = 20;
        await using var app = await ProductTestApp.StartAsync();
        var created = await app.CreateProductAsync(stock: 0);
        var admin = TestTokens.Admin();
        var conflicts = 0;

        async Task WriteAsync(int writer)
        {
            var version = 1L;
            for (var update = 0; update < updatesEach;)
            {
                // Each successful write increments stock by one, so a lost update would show in the final stock.
                var current = (await app.ReadStoredAsync(created.Id))!;
                var response = await app.ReplaceAsync(created.Id,
                    ProductTestApp.SampleInput(sku: created.Sku, stock: current.Stock + 1, name: $"writer {writer} update {update}"),
                    $"\"{Math.Max(version, current.Version)}\"", admin);
                if (response.Status == 200)
                {
                    update++;
                    version = long.Parse(response.Headers["ETag"].Trim('"'), System.Globalization.CultureInfo.InvariantCulture);
                    continue;
                }

                Assert.Equal(412, response.Status);
                Interlocked.Increment(ref conflicts);
                version = response.Document.GetProperty("currentVersion").GetInt64();
                await Task.Delay(Random.Shared.Next(0, 5 + writers / 5));
            }
        }

        await Task.WhenAll(Enumerable.Range(0, writers).Select(WriteAsync));
        var stored = (await app.ReadStoredAsync(created.Id))!;

        Assert.Equal(1 + (writers * updatesEach), stored.Version);
        Assert.Equal(writers * updatesEach, stored.Stock);
        Assert.True(conflicts > 0, "50 concurrent writers should have collided at least once");
    }
}
