using Microsoft.Azure.Functions.Worker;
using Shop.Tests.Common;

namespace Shop.UnitTests.Orders;

public sealed class OrderFunctionMetadataTests
{
    [Fact]
    public void Order_functions_declare_the_contracted_routes_methods_and_function_keys()
    {
        var routes = HttpFunctionMetadata.For("OrderFunctions")
            .ToDictionary(f => f.Name, f => (f.Route, Methods: string.Join(",", f.Methods), f.AuthLevel));

        Assert.Equal(("orders", "post", AuthorizationLevel.Function), routes["PlaceOrder"]);
        Assert.Equal(("orders", "get", AuthorizationLevel.Function), routes["ListOrders"]);
        Assert.Equal(("orders/{id}", "get", AuthorizationLevel.Function), routes["GetOrder"]);
        Assert.Equal(("orders/{id}/status", "get", AuthorizationLevel.Function), routes["GetOrderStatus"]);
        Assert.Equal(("orders/{id}/cancel", "post", AuthorizationLevel.Function), routes["CancelOrder"]);
        Assert.Equal(("orders/{id}/ship", "post", AuthorizationLevel.Function), routes["ShipOrder"]);
        Assert.Equal(("orders/{id}/deliver", "post", AuthorizationLevel.Function), routes["DeliverOrder"]);
        Assert.Equal(("orders/openapi.json", "get", AuthorizationLevel.Anonymous), routes["ApiDescription"]);
        Assert.All(routes.Where(r => r.Key is not ("Health" or "Liveness" or "ApiDescription")), r => Assert.Equal(AuthorizationLevel.Function, r.Value.AuthLevel));
    }
}
