using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.Shared.Json;
using Shop.Testing.Dispatch;
using Shop.Testing.Hosting;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// Runs an app's functions in process the way the isolated worker does: the app's own DI registrations
/// (<see cref="AppServices"/>), a real HttpContext per request, and the one pipeline of Shop.Testing
/// (<see cref="FunctionPipeline"/>: the shared middleware in order, the IActionResult executed into the response). The
/// request reaches the worker as the real host hands it over (<see cref="FunctionsHostRequest"/>); the host's routing
/// and function keys are what the loopback gateway (Shop.Testing.Gateway) adds over a real socket.
/// </summary>
public sealed class FunctionTestHost : IAsyncDisposable
{
    /// <summary>
    /// Settings every test app starts with unless it gives its own: rate limiting off (tests that are about it turn it
    /// on; others run hundreds of requests from one address and user) and no metrics listener (tests read the registry).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> TestDefaults = new Dictionary<string, string?>
    {
        ["RateLimiting:Enabled"] = "false",
        ["Metrics:Port"] = "0",
    };

    private readonly IServiceProvider _services;
    private readonly IAsyncDisposable? _owned;

    private FunctionTestHost(IServiceProvider services, IAsyncDisposable? owned)
    {
        _services = services;
        _owned = owned;
    }

    public IServiceProvider Services => _services;

    public static FunctionTestHost Create(
        IReadOnlyDictionary<string, string?> settings,
        Action<IServiceCollection, IConfiguration> addApp,
        Action<IServiceCollection>? overrides = null)
    {
        var services = AppServices.Build(TestDefaults.Concat(settings), addApp, overrides);
        return new FunctionTestHost(services, services);
    }

    /// <summary>Sends through the services of an app built elsewhere (its real Program wiring); the caller owns them.</summary>
    public static FunctionTestHost Over(IServiceProvider services) => new(services, owned: null);

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public Task<TestResponse> SendAsync<TFunction>(
        string method,
        string path,
        Func<TFunction, HttpRequest, Task<IActionResult>> invoke,
        object? body = null,
        string? bearer = null,
        IReadOnlyDictionary<string, string>? headers = null)
        where TFunction : class
    {
        var bytes = body switch
        {
            null => [],
            string raw => Encoding.UTF8.GetBytes(raw),
            byte[] raw => raw,
            _ => JsonSerializer.SerializeToUtf8Bytes(body, ShopJson.Options),
        };
        var request = new RequestSpec(method, path, bytes, bearer, headers ?? new Dictionary<string, string>());
        return SendAsync(request, invoke);
    }

    public async Task<TestResponse> SendAsync<TFunction>(RequestSpec spec, Func<TFunction, HttpRequest, Task<IActionResult>> invoke)
        where TFunction : class
    {
        await using var scope = _services.CreateAsyncScope();
        var invocationId = Guid.NewGuid().ToString();
        var httpContext = spec.ToHttpContext(scope.ServiceProvider, invocationId);
        await FunctionPipeline.RunAsync(httpContext, FunctionRoutes.NameOf(typeof(TFunction), httpContext), invocationId,
            () => invoke(ActivatorUtilities.CreateInstance<TFunction>(scope.ServiceProvider), httpContext.Request));
        return await TestResponse.ReadAsync(httpContext.Response);
    }

    public ValueTask DisposeAsync() => _owned?.DisposeAsync() ?? ValueTask.CompletedTask;
}
