using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Shop.Shared.Http;
using Shop.Shared.Http.Idempotency;
using Shop.Shared.OpenApi;
using Shop.Shared.Security;

namespace Shop.Orders.Api;

/// <summary>The public order API (/api/orders); every function needs a function key and a bearer token.</summary>
public sealed class OrderFunctions(OrderPlacement placement, OrderQueries queries, OrderCommands commands)
{
    [Function("PlaceOrder")]
    [OpenApiOperation("Place an order", Caller = OpenApiCaller.User,
        Description = "Idempotent by Idempotency-Key: a retry with the same key and body gets the first answer again (Idempotent-Replayed: true). Prices come from the catalog, never from the client. The workflow runs after the 202: poll the status URL.")]
    [OpenApiParameter("Idempotency-Key", OpenApiParameterLocation.Header, "A unique key per order (e.g. a UUID), 1-255 printable ASCII characters; the same key when retrying.", Required = true)]
    [OpenApiRequestBody(typeof(PlaceOrderRequest))]
    [OpenApiResponse(202, "Accepted: the order exists and its workflow is started.", Body = typeof(OrderAccepted), Headers = [OpenApiHeaders.Location, OpenApiHeaders.IdempotentReplayed])]
    [OpenApiProblem(400, "Idempotency-Key is missing or malformed.")]
    [OpenApiProblem(409, "A request with this Idempotency-Key is still being processed; retry after Retry-After to get its answer.", Headers = [OpenApiHeaders.RetryAfter])]
    [OpenApiProblem(422, "This Idempotency-Key was used with a different body.")]
    public async Task<IActionResult> Place(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "orders")] HttpRequest request,
        [DurableClient] DurableTaskClient durable)
    {
        var caller = await request.RequireCallerAsync();
        var key = IdempotencyKey.Require(request, OrderPlacement.KeySubject);
        var body = await JsonBody.ReadAsync<PlaceOrderRequest>(request, PlaceOrderRequest.MaxBodyBytes);
        return await placement.PlaceAsync(caller, key, body, durable, request.HttpContext.RequestAborted);
    }

    [Function("ListOrders")]
    [OpenApiOperation("List the caller's orders (all orders for an admin with all=true)", Caller = OpenApiCaller.User)]
    [OpenApiParameter("page", OpenApiParameterLocation.Query, "1-10000, default 1.", Type = "integer")]
    [OpenApiParameter("pageSize", OpenApiParameterLocation.Query, "At least 1, default 20; above 100 is capped at 100.", Type = "integer")]
    [OpenApiParameter("all", OpenApiParameterLocation.Query, "true lists every user's orders (admins only).", Type = "boolean")]
    [OpenApiResponse(200, "One page of order summaries, newest first.", Body = typeof(OrderPage))]
    [OpenApiProblem(400, "A query parameter is invalid: `errors` names it.")]
    [OpenApiProblem(403, "all=true needs the admin role.")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "orders")] HttpRequest request)
    {
        var caller = await request.RequireCallerAsync();
        var query = OrderListQuery.Parse(request.Query);
        return Responses.Ok(await queries.ListAsync(caller, query, request.HttpContext.RequestAborted));
    }

    [Function("GetOrder")]
    [OpenApiOperation("Read one order with its history", Caller = OpenApiCaller.User)]
    [OpenApiResponse(200, "The order.", Body = typeof(OrderView))]
    [OpenApiProblem(404, "No such order, or not the caller's (another customer's order is not revealed).")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "orders/{id}")] HttpRequest request,
        string id)
    {
        var caller = await request.RequireCallerAsync();
        return Responses.Ok(OrderView.From(await queries.GetVisibleAsync(caller, id, request.HttpContext.RequestAborted)));
    }

    [Function("GetOrderStatus")]
    [OpenApiOperation("The order's workflow as the Durable backend sees it", Caller = OpenApiCaller.User)]
    [OpenApiResponse(200, "The order status, runtime status and current step.", Body = typeof(OrderRuntimeView))]
    [OpenApiProblem(404, "No such order, or not the caller's (another customer's order is not revealed).")]
    public async Task<IActionResult> Status(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "orders/{id}/status")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durable)
    {
        var caller = await request.RequireCallerAsync();
        return Responses.Ok(await queries.StatusAsync(caller, id, durable, request.HttpContext.RequestAborted));
    }

    [Function("CancelOrder")]
    [OpenApiOperation("Ask to cancel an order that has not shipped", Caller = OpenApiCaller.User,
        Description = "202 means the request was handed to the order's workflow; the outcome shows in GET /api/orders/{id}.")]
    [OpenApiResponse(202, "Handed to the workflow.", Body = typeof(OrderCommandAccepted), Headers = [OpenApiHeaders.Location])]
    [OpenApiProblem(404, "No such order, or not the caller's (another customer's order is not revealed).")]
    [OpenApiProblem(409, "The order has shipped or finished, or its workflow has not started yet (Retry-After).", Headers = [OpenApiHeaders.RetryAfter])]
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
    [OpenApiOperation("Mark a confirmed order as shipped", Caller = OpenApiCaller.Admin)]
    [OpenApiResponse(202, "Handed to the workflow.", Body = typeof(OrderCommandAccepted), Headers = [OpenApiHeaders.Location])]
    [OpenApiProblem(404, "No such order.")]
    [OpenApiProblem(409, "The order is not Confirmed, or finished, or its workflow has not started yet (Retry-After).", Headers = [OpenApiHeaders.RetryAfter])]
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
    [OpenApiOperation("Mark a shipped order as delivered", Caller = OpenApiCaller.Admin)]
    [OpenApiResponse(202, "Handed to the workflow.", Body = typeof(OrderCommandAccepted), Headers = [OpenApiHeaders.Location])]
    [OpenApiProblem(404, "No such order.")]
    [OpenApiProblem(409, "The order is not Shipped, or finished, or its workflow has not started yet (Retry-After).", Headers = [OpenApiHeaders.RetryAfter])]
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
