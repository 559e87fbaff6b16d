using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Shop.Shared.Http;
using Shop.Shared.Security;

namespace Shop.Products.Reservations;

/// <summary>The internal API for OrderFunctions: a function key AND the internal service key are required.</summary>
public sealed class ReservationFunctions(ReservationService reservations)
{
    [Function("Reserve")]
    public async Task<IActionResult> Reserve(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "internal/reservations")] HttpRequest request)
    {
        request.RequireInternalCaller();
        var body = await JsonBody.ReadAsync<ReserveRequest>(request);
        return Responses.Ok(await reservations.ReserveAsync(body, request.HttpContext.RequestAborted));
    }

    [Function("ReleaseReservation")]
    public async Task<IActionResult> Release(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "internal/reservations/{orderId}")] HttpRequest request,
        string orderId)
    {
        request.RequireInternalCaller();
        await reservations.ReleaseAsync(OrderIds.Require(orderId), request.HttpContext.RequestAborted);
        return Responses.NoContent();
    }

    [Function("CommitReservation")]
    public async Task<IActionResult> Commit(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "internal/reservations/{orderId}/commit")] HttpRequest request,
        string orderId)
    {
        request.RequireInternalCaller();
        await reservations.CommitAsync(OrderIds.Require(orderId), request.HttpContext.RequestAborted);
        return Responses.NoContent();
    }
}

internal static class OrderIds
{
    public static string Require(string orderId) =>
        orderId.Length is >= 1 and <= 64 && orderId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? orderId
            : throw Problems.NotFound("No reservation for this order.");
}
