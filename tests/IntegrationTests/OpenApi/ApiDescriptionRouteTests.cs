using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Shop.Tests.Common;

namespace Shop.IntegrationTests.OpenApi;

/// <summary>
/// products/openapi.json also fits products/{id}, and orders/openapi.json fits orders/{id}. ASP.NET Core prefers the
/// literal segment, but the Functions host tries routes in the order of function names (azure-functions-host#9876), so
/// the document's function must win both ways; named OpenApi it would lose to GetProduct and GetOrder.
/// </summary>
public sealed class ApiDescriptionRouteTests
{
    [Theory]
    [MemberData(nameof(ServedDocuments.Apps), MemberType = typeof(ServedDocuments))]
    public void The_document_path_reaches_ApiDescription_in_the_hosts_name_order_and_in_ASP_NET_Core_precedence(string app)
    {
        var getters = HttpFunctionMetadata.For(app).Where(f => f.Methods.Contains("get", StringComparer.OrdinalIgnoreCase)).ToList();
        var path = new PathString("/" + ServedDocuments.Routes[app]);

        Assert.Equal("ApiDescription", FirstMatch(getters.OrderBy(f => f.Name, StringComparer.Ordinal), path));
        Assert.Equal("ApiDescription", FirstMatch(getters.OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase), path));
        Assert.Equal("ApiDescription", FirstMatch(getters.OrderBy(f => RoutePrecedence.ComputeInbound(TemplateParser.Parse(f.Route))), path));
    }

    [Fact]
    public void A_route_parameter_would_swallow_the_document_path_if_it_came_first()
    {
        var getProduct = new TemplateMatcher(TemplateParser.Parse("products/{id}"), new RouteValueDictionary());

        Assert.True(getProduct.TryMatch(new PathString("/products/openapi.json"), new RouteValueDictionary()));
    }

    private static string FirstMatch(IEnumerable<HttpFunctionMetadata> ordered, PathString path) =>
        ordered.First(f => new TemplateMatcher(TemplateParser.Parse(f.Route), new RouteValueDictionary()).TryMatch(path, new RouteValueDictionary())).Name;
}
