using Microsoft.Azure.Functions.Worker;
using Shop.Tests.Common;

namespace Shop.UnitTests;

/// <summary>
/// The function-key rule, derived from the code itself: every HTTP function requires a key except the few that are
/// anonymous by design (probes, the JWKS, the OpenAPI documents). A new anonymous function fails this test until it is
/// added to the list on purpose.
/// </summary>
public sealed class FunctionMetadataTests
{
    private static readonly HashSet<string> AnonymousByDesign = ["Health", "Liveness", "Jwks", "ApiDescription"];

    public static TheoryData<string> AppAssemblies => new() { "AuthFunctions", "ProductFunctions", "OrderFunctions" };

    [Theory]
    [MemberData(nameof(AppAssemblies))]
    public void Every_http_function_requires_a_function_key_except_health_jwks_and_the_api_description(string assemblyName)
    {
        var functions = HttpFunctionMetadata.For(assemblyName);

        Assert.NotEmpty(functions);
        var anonymous = functions.Where(f => f.AuthLevel != AuthorizationLevel.Function).Select(f => f.Name).ToHashSet();
        Assert.Subset(AnonymousByDesign, anonymous);
        Assert.All(functions.Where(f => !AnonymousByDesign.Contains(f.Name)), f => Assert.Equal(AuthorizationLevel.Function, f.AuthLevel));
    }

    [Fact]
    public void Auth_functions_declare_the_contracted_routes_and_methods()
    {
        var routes = HttpFunctionMetadata.For("AuthFunctions")
            .ToDictionary(f => f.Name, f => (f.Route, Methods: string.Join(",", f.Methods), f.AuthLevel));

        Assert.Equal(("auth/signup", "post", AuthorizationLevel.Function), routes["SignUp"]);
        Assert.Equal(("auth/login", "post", AuthorizationLevel.Function), routes["Login"]);
        Assert.Equal(("auth/refresh", "post", AuthorizationLevel.Function), routes["Refresh"]);
        Assert.Equal(("auth/logout", "post", AuthorizationLevel.Function), routes["Logout"]);
        Assert.Equal(("auth/me", "get", AuthorizationLevel.Function), routes["Me"]);
        Assert.Equal(("auth/jwks", "get", AuthorizationLevel.Anonymous), routes["Jwks"]);
        Assert.Equal(("auth/openapi.json", "get", AuthorizationLevel.Anonymous), routes["ApiDescription"]);
        Assert.Equal(("health", "get", AuthorizationLevel.Anonymous), routes["Health"]);
    }

    [Fact]
    public void Product_functions_declare_the_contracted_routes_and_methods()
    {
        var routes = HttpFunctionMetadata.For("ProductFunctions")
            .ToDictionary(f => f.Name, f => (f.Route, Methods: string.Join(",", f.Methods), f.AuthLevel));

        Assert.Equal(("products", "get", AuthorizationLevel.Function), routes["ListProducts"]);
        Assert.Equal(("products/{id}", "get", AuthorizationLevel.Function), routes["GetProduct"]);
        Assert.Equal(("products", "post", AuthorizationLevel.Function), routes["CreateProduct"]);
        Assert.Equal(("products/{id}", "put", AuthorizationLevel.Function), routes["ReplaceProduct"]);
        Assert.Equal(("products/{id}", "delete", AuthorizationLevel.Function), routes["DeleteProduct"]);
        Assert.Equal(("internal/reservations", "post", AuthorizationLevel.Function), routes["Reserve"]);
        Assert.Equal(("internal/reservations/{orderId}", "delete", AuthorizationLevel.Function), routes["ReleaseReservation"]);
        Assert.Equal(("internal/reservations/{orderId}/commit", "post", AuthorizationLevel.Function), routes["CommitReservation"]);
        Assert.Equal(("products/openapi.json", "get", AuthorizationLevel.Anonymous), routes["ApiDescription"]);
    }
}
