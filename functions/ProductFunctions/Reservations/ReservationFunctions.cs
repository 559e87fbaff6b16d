using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Shop.Contracts.Orders;
using Shop.Contracts.Reservations;
using Shop.Shared.Http;
using Shop.Shared.OpenApi;
using Shop.Shared.RateLimiting;
using Shop.Shared.Security;

namespace Shop.Products.Reservations;

/// <summary>The internal API for OrderFunctions: a function key AND the internal service key are required.</summary>
public sealed class ReservationFunctions(ReservationService reservations)
{
    [Function("Reserve")]
    [RateLimit(ProductRateLimits.Internal)]
    [OpenApiOperation("Reserve stock for an order, all items or none (internal)", Caller = OpenApiCaller.InternalService,
        Description = "Idempotent per order id: a retry or a concurrent duplicate gets the first result.")]
    [OpenApiRequestBody(typeof(ReserveRequest))]
    [OpenApiResponse(200, "Reserved, with the catalog's names and prices at this moment.", Body = typeof(ReservationView))]
    [OpenApiProblem(409, "Nothing was reserved: `reason` says why (insufficient-stock, unknown-product, mixed-currencies, ...) and `productId` names the product; or another attempt is still working (Retry-After); or the order id was used for other items or already released.",
        Extensions = ["reason?:string", "productId?:string"], Headers = [OpenApiHeaders.RetryAfter])]
    public async Task<IActionResult> Reserve(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ReservationRoutes.Reserve)] HttpRequest request)
    {
        request.RequireInternalCaller();
        var body = await JsonBody.ReadAsync<ReserveRequest>(request);
        return Responses.Ok(await reservations.ReserveAsync(body, request.HttpContext.RequestAborted));
    }

    [Function("ReleaseReservation")]
    [RateLimit(ProductRateLimits.Internal)]
    [OpenApiOperation("Give an order's reserved stock back (internal)", Caller = OpenApiCaller.InternalService,
        Description = "Idempotent; releasing an order that was never reserved leaves a tombstone so a late reserve takes nothing.")]
    [OpenApiResponse(204, "Released (or nothing to release).")]
    [OpenApiProblem(404, "Not an order id.")]
    [OpenApiProblem(409, "The reservation is committed (its stock is sold), or another attempt is still working (Retry-After).", Headers = [OpenApiHeaders.RetryAfter])]
    public async Task<IActionResult> Release(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ReservationRoutes.ReleaseTemplate)] HttpRequest request,
        string orderId)
    {
        request.RequireInternalCaller();
        await reservations.ReleaseAsync(RequireOrderId(orderId), request.HttpContext.RequestAborted);
        return Responses.NoContent();
    }

    [Function("CommitReservation")]
    [RateLimit(ProductRateLimits.Internal)]
    [OpenApiOperation("Mark an order's reserved stock as sold (internal)", Caller = OpenApiCaller.InternalService)]
    [OpenApiResponse(204, "Committed.")]
    [OpenApiProblem(404, "No reservation for this order.")]
    [OpenApiProblem(409, "The reservation is not in the Reserved state.")]
    public async Task<IActionResult> Commit(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ReservationRoutes.CommitTemplate)] HttpRequest request,
        string orderId)
    {
        request.RequireInternalCaller();
        await reservations.CommitAsync(RequireOrderId(orderId), request.HttpContext.RequestAborted);
        return Responses.NoContent();
    }

    private static string RequireOrderId(string orderId) =>
        OrderIds.IsValid(orderId) ? orderId : throw Problems.NotFound("No reservation for this order.");
}
