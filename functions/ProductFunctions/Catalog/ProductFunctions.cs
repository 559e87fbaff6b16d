using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Shop.Shared.Http;
using Shop.Shared.Security;

namespace Shop.Products.Catalog;

public sealed class ProductFunctions(CatalogService catalog)
{
    public const int MaximumBodyBytes = 16 * 1024;

    [Function("ListProducts")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "products")] HttpRequest request) =>
        Responses.Ok(await catalog.ListAsync(CatalogQuery.From(request.Query), request.HttpContext.RequestAborted));

    [Function("GetProduct")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "products/{id}")] HttpRequest request, string id)
    {
        var product = await catalog.GetAsync(Ids.Require(id), request.HttpContext.RequestAborted);
        return Responses.Ok(product).WithETag(product.Version);
    }

    [Function("CreateProduct")]
    public async Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "products")] HttpRequest request)
    {
        await request.RequireAdminAsync();
        var input = await JsonBody.ReadAsync<ProductInput>(request, MaximumBodyBytes);
        var product = await catalog.CreateAsync(input, request.HttpContext.RequestAborted);
        return Responses.Created($"/api/products/{product.Id}", product).WithETag(product.Version);
    }

    [Function("ReplaceProduct")]
    public async Task<IActionResult> Replace(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "products/{id}")] HttpRequest request, string id)
    {
        await request.RequireAdminAsync();
        var productId = Ids.Require(id);
        var precondition = Versioning.ParseIfMatch(request.Headers.IfMatch);
        var input = await JsonBody.ReadAsync<ProductInput>(request, MaximumBodyBytes);
        var product = await catalog.ReplaceAsync(productId, precondition, input, request.HttpContext.RequestAborted);
        return Responses.Ok(product).WithETag(product.Version);
    }

    [Function("DeleteProduct")]
    public async Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "products/{id}")] HttpRequest request, string id)
    {
        await request.RequireAdminAsync();
        await catalog.DeleteAsync(Ids.Require(id), Versioning.ParseIfMatch(request.Headers.IfMatch), request.HttpContext.RequestAborted);
        return Responses.NoContent();
    }
}
