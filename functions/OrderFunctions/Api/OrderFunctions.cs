using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Shop.Orders.Idempotency;
using Shop.Shared.Http;
using Shop.Shared.Security;

namespace Shop.Orders.Api;

/// <summary>The public order API (/api/orders); every function needs a function key and a bearer token.</summary>
public sealed class OrderFunctions(OrderPlacement placement, OrderQueries queries, OrderCommands commands)
{
    [Function("PlaceOrder")]
    public async Task<IActionResult> Place(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "orders")] HttpRequest request,
        [DurableClient] DurableTaskClient durable)
    {
        var caller = await request.RequireCallerAsync();
        var key = IdempotencyKey.Require(request);
        var body = await JsonBody.ReadAsync<PlaceOrderRequest>(request, PlaceOrderRequest.MaxBodyBytes);
        var result = await placement.PlaceAsync(caller, key, body, durable, request.HttpContext.RequestAborted);
        return new StoredJsonResponse(result.Response, result.Replayed);
    }

    [Function("ListOrders")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "orders")] HttpRequest request)
    {
        var caller = await request.RequireCallerAsync();
        var query = OrderListQuery.Parse(request.Query);
        return Responses.Ok(await queries.ListAsync(caller, query, request.HttpContext.RequestAborted));
    }

    [Function("GetOrder")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "orders/{id}")] HttpRequest request,
        string id)
    {
        var caller = await request.RequireCallerAsync();
        return Responses.Ok(OrderView.From(await queries.GetVisibleAsync(caller, id, request.HttpContext.RequestAborted)));
    }

    [Function("GetOrderStatus")]
    public async Task<IActionResult> Status(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "orders/{id}/status")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durable)
    {
        var caller = await request.RequireCallerAsync();
        return Responses.Ok(await queries.StatusAsync(caller, id, durable, request.HttpContext.RequestAborted));
    }

    [Function("CancelOrder")]
    public async Task<IActionResult> Cancel(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "orders/{id}/cancel")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durable)
    {
        var caller = await request.RequireCallerAsync();
        var accepted = await commands.CancelAsync(caller, id, durable, request.HttpContext.RequestAborted);
        return Responses.Accepted(accepted, accepted.StatusUrl);
    }

    [Function("ShipOrder")]
    public async Task<IActionResult> Ship(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "orders/{id}/ship")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durable)
    {
        var admin = await request.RequireAdminAsync();
        var accepted = await commands.ShipAsync(admin, id, durable, request.HttpContext.RequestAborted);
        return Responses.Accepted(accepted, accepted.StatusUrl);
    }

    [Function("DeliverOrder")]
    public async Task<IActionResult> Deliver(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "orders/{id}/deliver")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durable)
    {
        var admin = await request.RequireAdminAsync();
        var accepted = await commands.DeliverAsync(admin, id, durable, request.HttpContext.RequestAborted);
        return Responses.Accepted(accepted, accepted.StatusUrl);
    }
}
