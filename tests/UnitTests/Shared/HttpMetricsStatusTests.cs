using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Shop.Shared.Http;
using Shop.Shared.Observability;

namespace Shop.UnitTests.Shared;

public sealed class HttpMetricsStatusTests
{
    [Fact]
    public void A_returned_result_counts_with_its_own_status_because_the_host_writes_it_after_the_middleware()
    {
        var response = new DefaultHttpContext().Response;

        Assert.Equal(201, HttpMetricsMiddleware.StatusOf(Responses.Created("/api/products/1", new { }), response));
        Assert.Equal(204, HttpMetricsMiddleware.StatusOf(Responses.NoContent(), response));
        Assert.Equal(200, HttpMetricsMiddleware.StatusOf(new EmptyResult(), response));
    }

    [Fact]
    public void Without_a_result_the_response_status_counts_as_for_a_problem_written_by_the_middleware()
    {
        var response = new DefaultHttpContext().Response;
        response.StatusCode = 412;

        Assert.Equal(412, HttpMetricsMiddleware.StatusOf(null, response));
    }

    [Theory]
    [InlineData("Slow", 2)]
    [InlineData("slow", 2)]
    [InlineData("Other", 30)]
    public void Request_timeouts_are_per_function_with_a_default(string function, int expectedSeconds)
    {
        var options = new RequestTimeoutOptions { Functions = new(StringComparer.OrdinalIgnoreCase) { ["Slow"] = TimeSpan.FromSeconds(2) } };

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), options.For(function));
    }
}
