using Shop.Products.Catalog;

namespace Shop.IntegrationTests.Products;

public sealed class CatalogTests
{
    [SkippableFact]
    public async Task Create_returns_201_with_location_etag_and_server_owned_fields()
    {
        await using var app = await ProductTestApp.StartAsync();

        var response = await app.CreateAsync(ProductTestApp.SampleInput(stock: 7, price: 2599));
        var product = response.Json<ProductView>();

        Assert.Equal(201, response.Status);
        Assert.Equal($"/api/products/{product.Id}", response.Headers["Location"]);
        Assert.Equal("\"1\"", response.Headers["ETag"]);
        Assert.Equal((1L, 7, 2599L), (product.Version, product.Stock, product.Price));
    }

    [SkippableFact]
    public async Task Get_returns_the_product_with_its_version_as_etag()
    {
        await using var app = await ProductTestApp.StartAsync();
        var created = await app.CreateProductAsync();

        var response = await app.GetAsync(created.Id);

        Assert.Equal(200, response.Status);
        Assert.Equal("\"1\"", response.Headers["ETag"]);
        Assert.Equal(created, response.Json<ProductView>());
        Assert.DoesNotContain("reservedFor", response.Body, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Replace_with_the_current_version_succeeds_and_bumps_the_etag()
    {
        await using var app = await ProductTestApp.StartAsync();
        var created = await app.CreateProductAsync();

        var response = await app.ReplaceAsync(created.Id, ProductTestApp.SampleInput(sku: created.Sku, name: "Better kettle"), "\"1\"");
        var read = await app.GetAsync(created.Id);

        Assert.Equal(200, response.Status);
        Assert.Equal("\"2\"", response.Headers["ETag"]);
        Assert.Equal("Better kettle", read.Json<ProductView>().Name);
        Assert.Equal("\"2\"", read.Headers["ETag"]);
    }

    [SkippableFact]
    public async Task Replace_with_stale_version_returns_412_and_keeps_the_stored_document()
    {
        await using var app = await ProductTestApp.StartAsync();
        var created = await app.CreateProductAsync();
        await app.ReplaceAsync(created.Id, ProductTestApp.SampleInput(sku: created.Sku, name: "first"), "\"1\"");

        var stale = await app.ReplaceAsync(created.Id, ProductTestApp.SampleInput(sku: created.Sku, name: "second"), "\"1\"");

        Assert.Equal(412, stale.Status);
        Assert.Equal(2, stale.Document.GetProperty("currentVersion").GetInt64());
        Assert.Equal("\"2\"", stale.Headers["ETag"]);
        Assert.Equal("first", (await app.ReadStoredAsync(created.Id))!.Name);
    }

    [SkippableFact]
    public async Task Replace_and_delete_without_if_match_return_428()
    {
        await using var app = await ProductTestApp.StartAsync();
        var created = await app.CreateProductAsync();

        var replace = await app.ReplaceAsync(created.Id, ProductTestApp.SampleInput(sku: created.Sku), ifMatch: null);
        var delete = await app.DeleteAsync(created.Id, ifMatch: null);

        Assert.Equal(428, replace.Status);
        Assert.Equal(428, delete.Status);
        Assert.Equal(1, (await app.ReadStoredAsync(created.Id))!.Version);
    }

    [SkippableFact]
    public async Task Delete_with_the_current_version_removes_the_product_and_a_stale_one_is_412()
    {
        await using var app = await ProductTestApp.StartAsync();
        var created = await app.CreateProductAsync();
        await app.ReplaceAsync(created.Id, ProductTestApp.SampleInput(sku: created.Sku), "\"1\"");

        var stale = await app.DeleteAsync(created.Id, "\"1\"");
        var current = await app.DeleteAsync(created.Id, "\"2\"");
        var afterwards = await app.GetAsync(created.Id);
        var again = await app.DeleteAsync(created.Id, "\"2\"");

        Assert.Equal(412, stale.Status);
        Assert.Equal(204, current.Status);
        Assert.Equal(404, afterwards.Status);
        Assert.Equal(404, again.Status);
    }

    [SkippableFact]
    public async Task Writes_need_the_admin_role_and_a_token()
    {
        await using var app = await ProductTestApp.StartAsync();
        var created = await app.CreateProductAsync();

        var byCustomer = await app.CreateAsync(ProductTestApp.SampleInput(), TestTokens.Customer());
        var anonymous = await app.Host.SendAsync("POST", "products", ProductTestApp.SampleInput());
        var replaceByCustomer = await app.ReplaceAsync(created.Id, ProductTestApp.SampleInput(sku: created.Sku), "\"1\"", TestTokens.Customer());
        var deleteByCustomer = await app.DeleteAsync(created.Id, "\"1\"", TestTokens.Customer());

        Assert.Equal(403, byCustomer.Status);
        Assert.Equal(401, anonymous.Status);
        Assert.Equal(403, replaceByCustomer.Status);
        Assert.Equal(403, deleteByCustomer.Status);
        Assert.Equal(1, (await app.ReadStoredAsync(created.Id))!.Version);
    }

    [SkippableFact]
    public async Task List_pages_filters_by_category_and_sorts_stably()
    {
        await using var app = await ProductTestApp.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            await app.CreateProductAsync(category: "tea", name: "Same name", price: 100 + i);
        }

        await app.CreateProductAsync(category: "coffee", name: "Grinder");

        var first = (await app.ListAsync("?category=tea&pageSize=2&page=1&sort=name")).Json<ProductPage>();
        var second = (await app.ListAsync("?category=tea&pageSize=2&page=2&sort=name")).Json<ProductPage>();
        var third = (await app.ListAsync("?category=tea&pageSize=2&page=3&sort=name")).Json<ProductPage>();
        var byPrice = (await app.ListAsync("?category=tea&sort=-price")).Json<ProductPage>();

        Assert.Equal(5, first.Total);
        var ids = first.Items.Concat(second.Items).Concat(third.Items).Select(p => p.Id).ToList();
        Assert.Equal(5, ids.Distinct().Count());
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal([104L, 103, 102, 101, 100], byPrice.Items.Select(p => p.Price));
    }

    [SkippableFact]
    public async Task Text_search_matches_literally_so_regex_characters_are_harmless()
    {
        await using var app = await ProductTestApp.StartAsync();
        await app.CreateProductAsync(name: "Cup (large) .*");
        await app.CreateProductAsync(name: "Cup small");

        var literal = (await app.ListAsync("?q=" + Uri.EscapeDataString("(large) .*"))).Json<ProductPage>();
        var wildcard = (await app.ListAsync("?q=" + Uri.EscapeDataString(".*"))).Json<ProductPage>();
        var catastrophic = await app.ListAsync("?q=" + Uri.EscapeDataString("(a+)+$"));
        var caseInsensitive = (await app.ListAsync("?q=CUP")).Json<ProductPage>();

        Assert.Single(literal.Items);
        Assert.Single(wildcard.Items);
        Assert.Equal(200, catastrophic.Status);
        Assert.Equal(2, caseInsensitive.Total);
    }
}
