using System.Net;
using System.Text.Json;
using Shop.Testing.Dispatch;
using Shop.Testing.Gateway;

namespace Shop.IntegrationTests.Gateway;

/// <summary>
/// The gateway itself, with a test-only app (<see cref="EchoFunctions"/>) that needs no server: what a function sees of
/// a request that crossed the gateway, route constraints, the admin level and misses.
/// </summary>
public sealed class EchoGatewayTests : IAsyncLifetime
{
    private const string FunctionKey = "echo-function-key";
    private const string MasterKey = "echo-master-key";

    private readonly HttpClient _client = new();
    private LoopbackGateway? _gateway;
    private Microsoft.Extensions.DependencyInjection.ServiceProvider? _services;

    public async Task InitializeAsync()
    {
        _services = AppServices.Build(
            new Dictionary<string, string?> { ["RateLimiting:Enabled"] = "false", ["Metrics:Port"] = "0" },
            (_, _) => { });
        _gateway = await LoopbackGateway.StartAsync();
        _gateway.Serve([new GatewayApp("echo", new FunctionDispatcher([typeof(EchoFunctions)], _services),
            new FunctionKeys(MasterKey, new Dictionary<string, string> { ["default"] = FunctionKey }))]);
        _client.BaseAddress = _gateway.BaseAddress;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_function_sees_the_request_as_the_host_behind_our_proxy_hands_it_over()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/echo/request");
        request.Headers.Add(FunctionKeys.HeaderName, FunctionKey);
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        request.Headers.Add("X-Real-IP", "203.0.113.10");
        request.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        using var response = await _client.SendAsync(request);
        var seen = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var headers = seen.GetProperty("headers");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(headers.TryGetProperty("x-forwarded-for", out _), "the client's X-Forwarded-For reached the function");
        Assert.Equal("127.0.0.1", headers.GetProperty("x-real-ip").GetString()); // overwritten by the proxy with the peer it saw
        Assert.Equal("127.0.0.1", seen.GetProperty("remoteIpAddress").GetString());
        Assert.StartsWith("127.0.0.1:", headers.GetProperty("x-original-for").GetString(), StringComparison.Ordinal);
        Assert.Equal(_gateway!.BaseAddress.Authority, headers.GetProperty("x-original-host").GetString());
        Assert.Equal("http", headers.GetProperty("x-original-proto").GetString());
        Assert.True(Guid.TryParse(headers.GetProperty("x-ms-invocation-id").GetString(), out _));
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", response.Headers.GetValues("x-correlation-id").Single());
    }

    [Theory]
    [InlineData("api/echo/numbers/42", HttpStatusCode.OK)]
    [InlineData("api/echo/numbers/forty-two", HttpStatusCode.NotFound)] // {n:int}: the host's route constraint
    [InlineData("api/echo/unknown", HttpStatusCode.NotFound)]
    [InlineData("echo/numbers/42", HttpStatusCode.NotFound)] // routes live under /api/
    public async Task Routes_match_the_templates_with_their_constraints(string path, HttpStatusCode expected)
    {
        using var response = await _client.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.NotFound)
        {
            Assert.Empty(await response.Content.ReadAsByteArrayAsync()); // a plain 404, as the host answers
        }
    }

    [Fact]
    public async Task A_route_value_is_bound_to_the_string_parameter_of_the_same_name()
    {
        using var response = await _client.GetAsync("api/echo/numbers/7");

        Assert.Equal("7", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("n").GetString());
    }

    [Fact]
    public async Task A_known_route_with_another_method_is_405_with_the_allowed_methods()
    {
        using var response = await _client.DeleteAsync("api/echo/numbers/7");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET", response.Content.Headers.Allow.Single());
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData(FunctionKey, HttpStatusCode.Unauthorized)]
    [InlineData(MasterKey, HttpStatusCode.OK)]
    public async Task An_admin_level_function_takes_only_the_master_key(string? key, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/echo/admin");
        if (key is not null)
        {
            request.Headers.Add(FunctionKeys.HeaderName, key);
        }

        using var response = await _client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }
}
