using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moq;
using Shop.Shared.Hosting;
using Shop.Shared.Json;

namespace Shop.IntegrationTests.Infrastructure;

/// <summary>
/// Runs an app's functions in process the way the isolated worker does: the app's own DI registrations, the shared
/// worker middleware in the same order, a real HttpContext per request, and the function's IActionResult executed
/// into the response. The request reaches the worker as the real host hands it over (<see cref="FunctionsHostRequest"/>);
/// only the host's routing and function keys are missing.
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
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(TestDefaults).AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IHostEnvironment>(new TestHostEnvironment());
        services.AddShopServices(configuration);
        addApp(services, configuration);
        overrides?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new FunctionTestHost(provider, provider);
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
        var functionContext = CreateFunctionContext(httpContext, scope.ServiceProvider, FunctionRoutes.NameOf(typeof(TFunction), spec.Method, spec.Path), invocationId);

        FunctionExecutionDelegate pipeline = async _ =>
        {
            var function = ActivatorUtilities.CreateInstance<TFunction>(scope.ServiceProvider);
            var result = await invoke(function, httpContext.Request);
            await result.ExecuteResultAsync(new ActionContext { HttpContext = httpContext });
        };

        foreach (var middlewareType in ShopDefaults.Middleware.Reverse())
        {
            var middleware = (IFunctionsWorkerMiddleware)scope.ServiceProvider.GetRequiredService(middlewareType);
            var next = pipeline;
            pipeline = context => middleware.Invoke(context, next);
        }

        await pipeline(functionContext);
        return await TestResponse.ReadAsync(httpContext.Response);
    }

    public ValueTask DisposeAsync() => _owned?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static FunctionContext CreateFunctionContext(HttpContext httpContext, IServiceProvider services, string functionName, string invocationId)
    {
        var definition = new Mock<FunctionDefinition>();
        definition.SetupGet(d => d.Name).Returns(functionName);
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.InvocationId).Returns(invocationId);
        context.SetupGet(c => c.FunctionDefinition).Returns(definition.Object);
        context.SetupGet(c => c.InstanceServices).Returns(services);
        context.SetupGet(c => c.Items).Returns(new Dictionary<object, object> { ["HttpRequestContext"] = httpContext });
        context.SetupGet(c => c.CancellationToken).Returns(httpContext.RequestAborted);
        // The Functions host hands the worker the caller's W3C trace context with each invocation.
        var traceParent = httpContext.Request.Headers["traceparent"].ToString();
        context.SetupGet(c => c.TraceContext).Returns(Mock.Of<TraceContext>(t => t.TraceParent == traceParent && t.TraceState == ""));
        return context.Object;
    }

    private sealed class TestHostEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";

        public string ApplicationName { get; set; } = "Shop.IntegrationTests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } =
            new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
