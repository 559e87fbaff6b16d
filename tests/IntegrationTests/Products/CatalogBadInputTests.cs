using Shop.Shared.Http;

namespace Shop.IntegrationTests.Products;

public sealed class CatalogBadInputTests
{
    public static TheoryData<string> BadQueries => new()
    {
        "?pageSize=100000", "?pageSize=0", "?page=-1", "?page=abc", "?page=1&page=2", "?pageSize=1e3",
        "?sort=password", "?sort=%24where", "?category=%7B%22%24gt%22%3A%22%22%7D", "?category=UPPER",
        "?q=" + new string('x', 101), "?q=%00", "?page=99999999999",
    };

    [SkippableTheory]
    [MemberData(nameof(BadQueries))]
    public async Task Bad_list_queries_get_400(string query)
    {
        await using var app = await ProductTestApp.StartAsync();

        var response = await app.ListAsync(query);

        Assert.Equal(400, response.Status);
        Assert.Equal("application/problem+json; charset=utf-8", response.ContentType);
    }

    public static TheoryData<string> BadBodies => new()
    {
        """{"sku":"A1","name":"x","category":"tea","price":-1,"currency":"EUR","stock":1}""",
        """{"sku":"A1","name":"x","category":"tea","price":1,"currency":"EUR","stock":-5}""",
        """{"sku":"A1","name":"x","category":"tea","price":1.5,"currency":"EUR","stock":1}""",
        """{"sku":"A1","name":"x","category":"tea","price":99999999999999999999,"currency":"EUR","stock":1}""",
        """{"sku":"A1","name":"x","category":"tea","price":1,"currency":"euro","stock":1}""",
        """{"sku":"A1","name":"x","category":"tea","price":1,"currency":"EUR","stock":1,"version":99}""",
        """{"sku":"A1","name":"x","category":"tea","price":1,"currency":"EUR","stock":1,"id":"abc"}""",
        """{"sku":"A1","name":"x","category":"tea","price":1,"currency":"EUR","stock":1,"createdAt":"2020-01-01"}""",
        """{"sku":{"$gt":""},"name":"x","category":"tea","price":1,"currency":"EUR","stock":1}""",
        """{"sku":"A1","name":"","category":"tea","price":1,"currency":"EUR","stock":1}""",
        """{"sku":"A 1","name":"x","category":"tea","price":1,"currency":"EUR","stock":1}""",
        """{"sku":"A1","name":"x","category":"tea","price":"1","currency":"EUR","stock":1}""",
        """{"sku":"A1","name":"x","category":"tea","currency":"EUR","stock":1}""",
        """{"sku":"A1","name":"x","category":"tea","price":1,"currency":"EUR","stock":1000001}""",
    };

    [SkippableTheory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_product_bodies_get_400_and_nothing_is_written(string body)
    {
        await using var app = await ProductTestApp.StartAsync();

        var response = await app.CreateAsync(body);
        var list = await app.ListAsync();

        Assert.Equal(400, response.Status);
        Assert.Equal(0, list.Document.GetProperty("total").GetInt64());
    }

    [SkippableTheory]
    [InlineData("1")]
    [InlineData("W/\"1\"")]
    [InlineData("\"abc\"")]
    [InlineData("\"0\"")]
    [InlineData("\"-1\"")]
    [InlineData("\"1\", \"2\"")]
    [InlineData("*")]
    [InlineData("\"99999999999999999999999\"")]
    public async Task Malformed_if_match_values_get_400_and_change_nothing(string ifMatch)
    {
        await using var app = await ProductTestApp.StartAsync();
        var created = await app.CreateProductAsync();

        var response = await app.ReplaceAsync(created.Id, ProductTestApp.SampleInput(sku: created.Sku), ifMatch);

        Assert.Equal(400, response.Status);
        Assert.Equal(1, (await app.ReadStoredAsync(created.Id))!.Version);
    }

    [SkippableTheory]
    [InlineData("not-an-id")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("{\"$gt\":\"\"}")]
    [InlineData("0123456789abcdef0123456789abcde")]
    public async Task Invalid_ids_get_404(string id)
    {
        await using var app = await ProductTestApp.StartAsync();

        Assert.Equal(404, (await app.GetAsync(id)).Status);
        Assert.Equal(404, (await app.ReplaceAsync(id, ProductTestApp.SampleInput(), "\"1\"")).Status);
        Assert.Equal(404, (await app.DeleteAsync(id, "\"1\"")).Status);
    }

    [SkippableFact]
    public async Task An_unknown_valid_id_gets_404()
    {
        await using var app = await ProductTestApp.StartAsync();

        Assert.Equal(404, (await app.GetAsync(Ids.New())).Status);
        Assert.Equal(404, (await app.ReplaceAsync(Ids.New(), ProductTestApp.SampleInput(), "\"1\"")).Status);
    }
}
