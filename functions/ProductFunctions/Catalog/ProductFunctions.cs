using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Shop.Shared.Http;
using Shop.Shared.OpenApi;
using Shop.Shared.Security;

namespace Shop.Products.Catalog;

public sealed class ProductFunctions(CatalogService catalog)
{
    public const int MaximumBodyBytes = 16 * 1024;

    [Function("ListProducts")]
    [OpenApiOperation("List products: paged, filtered, sorted")]
    [OpenApiParameter("page", OpenApiParameterLocation.Query, "1-10000, default 1.", Type = "integer")]
    [OpenApiParameter("pageSize", OpenApiParameterLocation.Query, "1-100, default 20.", Type = "integer")]
    [OpenApiParameter("category", OpenApiParameterLocation.Query, "Only this category (lower-case letters, digits, '-').")]
    [OpenApiParameter("q", OpenApiParameterLocation.Query, "Case-insensitive literal text in the name, up to 100 characters.")]
    [OpenApiParameter("sort", OpenApiParameterLocation.Query, "name, -name, price, -price, createdAt or -createdAt (default name; ties by id).")]
    [OpenApiResponse(200, "One page of products.", Body = typeof(ProductPage))]
    [OpenApiProblem(400, "A query parameter is invalid: `errors` names it.")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "products")] HttpRequest request) =>
        Responses.Ok(await catalog.ListAsync(CatalogQuery.From(request.Query), request.HttpContext.RequestAborted));

    [Function("GetProduct")]
    [OpenApiOperation("Read one product", Description = "The ETag is the product's version; send it as If-Match to replace or delete it.")]
    [OpenApiResponse(200, "The product.", Body = typeof(ProductView), Headers = [OpenApiHeaders.ETag])]
    [OpenApiProblem(404, "No such product (or not a product id).")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "products/{id}")] HttpRequest request, string id)
    {
        var product = await catalog.GetAsync(Ids.Require(id), request.HttpContext.RequestAborted);
        return Responses.Ok(product).WithETag(product.Version);
    }

    [Function("CreateProduct")]
    [OpenApiOperation("Create a product", Caller = OpenApiCaller.Admin, Description = "Id, version and timestamps are the server's; sending them is a 400.")]
    [OpenApiRequestBody(typeof(ProductInput))]
    [OpenApiResponse(201, "The product, at version 1.", Body = typeof(ProductView), Headers = [OpenApiHeaders.Location, OpenApiHeaders.ETag])]
    [OpenApiProblem(409, "A product with this SKU already exists.")]
    public async Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "products")] HttpRequest request)
    {
        await request.RequireAdminAsync();
        var input = await JsonBody.ReadAsync<ProductInput>(request, MaximumBodyBytes);
        var product = await catalog.CreateAsync(input, request.HttpContext.RequestAborted);
        return Responses.Created($"/api/products/{product.Id}", product).WithETag(product.Version);
    }

    [Function("ReplaceProduct")]
    [OpenApiOperation("Replace a product (optimistic locking)", Caller = OpenApiCaller.Admin)]
    [OpenApiParameter("If-Match", OpenApiParameterLocation.Header, "The ETag of the version you read, e.g. \"3\" (one strong tag).", Required = true)]
    [OpenApiRequestBody(typeof(ProductInput))]
    [OpenApiResponse(200, "The product at its next version.", Body = typeof(ProductView), Headers = [OpenApiHeaders.ETag])]
    [OpenApiProblem(400, "If-Match is malformed (weak, not quoted, not a version).")]
    [OpenApiProblem(404, "No such product.")]
    [OpenApiProblem(409, "Another product has this SKU.")]
    [OpenApiProblem(412, "The product changed since it was read: `currentVersion` and the ETag header give its version.", Extensions = ["currentVersion:integer"], Headers = [OpenApiHeaders.ETag])]
    [OpenApiProblem(428, "If-Match is missing.")]
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
    [OpenApiOperation("Delete a product (optimistic locking)", Caller = OpenApiCaller.Admin)]
    [OpenApiParameter("If-Match", OpenApiParameterLocation.Header, "The ETag of the version you read, e.g. \"3\" (one strong tag).", Required = true)]
    [OpenApiResponse(204, "The product is deleted.")]
    [OpenApiProblem(400, "If-Match is malformed (weak, not quoted, not a version).")]
    [OpenApiProblem(404, "No such product.")]
    [OpenApiProblem(412, "The product changed since it was read: `currentVersion` and the ETag header give its version.", Extensions = ["currentVersion:integer"], Headers = [OpenApiHeaders.ETag])]
    [OpenApiProblem(428, "If-Match is missing.")]
    public async Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "products/{id}")] HttpRequest request, string id)
    {
        await request.RequireAdminAsync();
        await catalog.DeleteAsync(Ids.Require(id), Versioning.ParseIfMatch(request.Headers.IfMatch), request.HttpContext.RequestAborted);
        return Responses.NoContent();
    }
}
