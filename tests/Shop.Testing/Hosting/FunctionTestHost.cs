using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.Testing.Dispatch;

namespace Shop.Testing.Hosting;

/// <summary>
/// Runs an app's functions in process the way the isolated worker does: the app's own DI registrations
/// (<see cref="AppServices"/>), a real HttpContext per request, routed by the functions' own route templates
/// (<see cref="FunctionDispatcher"/>) through the one pipeline (<see cref="FunctionPipeline"/>: the shared middleware in
/// order, the hand-written FunctionContext, the IActionResult executed into the response). The request reaches the
/// worker as the real host hands it over (<see cref="FunctionsHostRequest"/>); function keys are what the loopback
/// gateway adds over a real socket.
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
    private readonly Type[] _functionClasses;

    private FunctionTestHost(IServiceProvider services, IEnumerable<Type> functionClasses, IAsyncDisposable? owned)
    {
        _services = services;
        _owned = owned;
        _functionClasses = [.. functionClasses];
        Dispatcher = new FunctionDispatcher(_functionClasses, services, Bindings);
    }

    public IServiceProvider Services => _services;

    /// <summary>Values for input-binding parameters ([DurableClient]); OrderFunctions' test app adds its engine's client.</summary>
    public FunctionBindings Bindings { get; } = new();

    /// <summary>The app's route table and invoker: what <see cref="SendAsync(string, string, object?, string?, IReadOnlyDictionary{string, string}?)"/> routes through.</summary>
    public FunctionDispatcher Dispatcher { get; }

    /// <param name="functionClasses">The classes whose functions the host serves, usually
    /// <see cref="FunctionDispatcher.FunctionClassesOf"/> of the app's assembly; the shared ones (health) when omitted.</param>
    public static FunctionTestHost Create(
        IReadOnlyDictionary<string, string?> settings,
        Action<IServiceCollection, IConfiguration> addApp,
        Action<IServiceCollection>? overrides = null,
        IEnumerable<Type>? functionClasses = null)
    {
        var services = AppServices.Build(TestDefaults.Concat(settings), addApp, overrides);
        return new FunctionTestHost(services, functionClasses ?? FunctionDispatcher.SharedFunctionClasses, services);
    }

    /// <summary>Sends through the services of an app built elsewhere (its real Program wiring); the caller owns them.</summary>
    public static FunctionTestHost Over(IServiceProvider services, IEnumerable<Type>? functionClasses = null) =>
        new(services, functionClasses ?? FunctionDispatcher.SharedFunctionClasses, owned: null);

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>
    /// METHOD + path (under <c>api/</c>, query included) as a client sends them, routed to the function whose trigger
    /// declares that route; a path no function serves is a plain 404, another method 405.
    /// </summary>
    /// <param name="body">JSON-serialised, or sent as is when a string or bytes.</param>
    public Task<TestResponse> SendAsync(
        string method,
        string path,
        object? body = null,
        string? bearer = null,
        IReadOnlyDictionary<string, string>? headers = null) =>
        SendAsync(RequestSpec.Of(method, path, body, bearer, headers));

    public Task<TestResponse> SendAsync(RequestSpec spec) => SendAsync(spec, Dispatcher);

    /// <summary>The same dispatch with other input-binding values (a test that swaps Durable workers passes the other engine's client).</summary>
    public Task<TestResponse> SendAsync(RequestSpec spec, FunctionBindings bindings) =>
        SendAsync(spec, new FunctionDispatcher(_functionClasses, _services, bindings));

    public ValueTask DisposeAsync() => _owned?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static async Task<TestResponse> SendAsync(RequestSpec spec, FunctionDispatcher dispatcher)
    {
        var invocationId = Guid.NewGuid().ToString();
        var httpContext = spec.ToHttpContext(dispatcher.Services, invocationId);
        await dispatcher.DispatchAsync(httpContext, invocationId);
        return await TestResponse.ReadAsync(httpContext.Response);
    }
}
