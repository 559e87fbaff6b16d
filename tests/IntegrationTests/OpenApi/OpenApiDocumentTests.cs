using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.OpenApi;
using Shop.Tests.Common;

namespace Shop.IntegrationTests.OpenApi;

/// <summary>The served documents are valid OpenAPI 3.1 and name exactly the HTTP functions of their app.</summary>
public sealed class OpenApiDocumentTests
{
    [Theory]
    [MemberData(nameof(ServedDocuments.Apps), MemberType = typeof(ServedDocuments))]
    public async Task The_served_document_is_valid_OpenAPI_3_1_for_Microsoft_OpenApi_reader_and_validator(string app)
    {
        var response = await ServedDocuments.FetchAsync(app);
        var (document, diagnostic) = OpenApiDocument.Parse(response.Body, OpenApiConstants.Json);

        Assert.NotNull(document);
        Assert.Empty(diagnostic!.Errors.Select(e => $"{e.Pointer}: {e.Message}"));
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic.SpecificationVersion);
        Assert.Empty(document.Validate(ValidationRuleSet.GetDefaultRuleSet())?.Select(e => $"{e.Pointer}: {e.Message}") ?? []);
        Assert.All(document.Components!.Schemas!.Keys, name => Assert.Contains($"\"#/components/schemas/{name}\"", response.Body, StringComparison.Ordinal));
    }

    /// <summary>
    /// Both directions: every (route, method) of every HTTP function in the code is exactly one operation, with the
    /// function's name as operationId, and every operation of the document is such a function. The functions are read
    /// from the compiled attributes by the tests' own reader (tests/Common), not by the generator's.
    /// </summary>
    [Theory]
    [MemberData(nameof(ServedDocuments.Apps), MemberType = typeof(ServedDocuments))]
    public async Task Every_http_function_is_exactly_one_operation_and_every_operation_is_a_function(string app)
    {
        var document = await ServedDocuments.ParseAsync(app);
        var inCode = HttpFunctionMetadata.For(app)
            .SelectMany(f => f.Methods.Select(m => $"{m.ToUpperInvariant()} /api/{f.Route} {f.Name}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        var inDocument = document.Paths
            .SelectMany(p => (p.Value.Operations ?? []).Select(o => $"{o.Key.Method.ToUpperInvariant()} {p.Key} {o.Value.OperationId}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.NotEmpty(inCode);
        Assert.Equal(inCode.Count, inCode.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(inCode, inDocument);
    }

    [Theory]
    [MemberData(nameof(ServedDocuments.Apps), MemberType = typeof(ServedDocuments))]
    public async Task Each_operation_needs_the_function_key_its_trigger_declares(string app)
    {
        var document = await ServedDocuments.ParseAsync(app);
        foreach (var function in HttpFunctionMetadata.For(app))
        {
            var operation = Operation(document, function);
            var schemes = (operation.Security ?? []).Select(r => r.Keys.Select(k => k.Reference.Id).Order(StringComparer.Ordinal).ToList()).ToList();
            if (function.AuthLevel == AuthorizationLevel.Anonymous)
            {
                Assert.True(schemes.All(s => s.Count == 0), $"{function.Name} is anonymous but its operation asks for {string.Join(" | ", schemes.Select(s => string.Join("+", s)))}");
            }
            else
            {
                Assert.True(schemes.Count == 2 && schemes.Any(s => s.Contains("functionKeyHeader")) && schemes.Any(s => s.Contains("functionKeyQuery")),
                    $"{function.Name} needs a function key (x-functions-key or code)");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ServedDocuments.Apps), MemberType = typeof(ServedDocuments))]
    public async Task The_openapi_function_is_anonymous_get_only_and_answers_200_json_with_a_cacheable_etag(string app)
    {
        var openApi = Assert.Single(HttpFunctionMetadata.For(app), f => f.Name == "ApiDescription");
        Assert.Equal(AuthorizationLevel.Anonymous, openApi.AuthLevel);
        Assert.Equal(["get"], openApi.Methods);
        Assert.Equal(ServedDocuments.Routes[app], openApi.Route);

        var response = await ServedDocuments.SendAsync(app, headers: null, bearer: null);
        Assert.Equal(200, response.Status);
        Assert.StartsWith("application/json", response.ContentType, StringComparison.Ordinal);
        Assert.Equal("public, max-age=300", response.Headers["Cache-Control"]);
        Assert.Equal("3.1.1", JsonDocument.Parse(response.Body).RootElement.GetProperty("openapi").GetString());
        var etag = response.Headers["ETag"];

        var again = await ServedDocuments.SendAsync(app, new Dictionary<string, string> { ["If-None-Match"] = etag });
        Assert.Equal(304, again.Status);
        Assert.Equal("", again.Body);
        Assert.Equal(etag, again.Headers["ETag"]);

        var stale = await ServedDocuments.SendAsync(app, new Dictionary<string, string> { ["If-None-Match"] = "\"0\"" });
        Assert.Equal(200, stale.Status);
        Assert.Equal(response.Body, stale.Body);
    }

    [Fact]
    public async Task Product_writes_require_if_match_and_answer_428_and_412_with_the_current_version()
    {
        var document = await ServedDocuments.ParseAsync("ProductFunctions");
        foreach (var name in new[] { "ReplaceProduct", "DeleteProduct" })
        {
            var operation = Operation(document, HttpFunctionMetadata.For("ProductFunctions").Single(f => f.Name == name));
            var ifMatch = Assert.Single(operation.Parameters ?? [], p => p.Name == "If-Match");
            Assert.Equal(ParameterLocation.Header, ifMatch.In);
            Assert.True(ifMatch.Required, $"{name}: If-Match must be required");
            Assert.Contains("428", operation.Responses!.Keys);
            Assert.Contains("ETag", operation.Responses["412"].Headers!.Keys);
        }

        var placeOrder = Operation(await ServedDocuments.ParseAsync("OrderFunctions"), HttpFunctionMetadata.For("OrderFunctions").Single(f => f.Name == "PlaceOrder"));
        Assert.True(Assert.Single(placeOrder.Parameters ?? [], p => p.Name == "Idempotency-Key").Required);
        Assert.Contains("Location", placeOrder.Responses!["202"].Headers!.Keys);
    }

    [Fact]
    public async Task Limited_operations_document_429_with_retry_after_and_the_ratelimit_fields()
    {
        var document = await ServedDocuments.ParseAsync("ProductFunctions");
        var list = Operation(document, HttpFunctionMetadata.For("ProductFunctions").Single(f => f.Name == "ListProducts"));
        Assert.Contains("Retry-After", list.Responses!["429"].Headers!.Keys);
        Assert.All(list.Responses.Values, r => Assert.Contains("RateLimit", r.Headers!.Keys));
        Assert.All(list.Responses.Values, r => Assert.Contains("x-correlation-id", r.Headers!.Keys));

        var health = Operation(document, HttpFunctionMetadata.For("ProductFunctions").Single(f => f.Name == "Health"));
        Assert.DoesNotContain("429", health.Responses!.Keys);
    }

    internal static OpenApiOperation Operation(OpenApiDocument document, HttpFunctionMetadata function)
    {
        var path = Assert.Contains("/api/" + function.Route, document.Paths);
        return Assert.Single(path.Operations ?? [], o => string.Equals(o.Key.Method, function.Methods.Single(), StringComparison.OrdinalIgnoreCase)).Value;
    }
}
