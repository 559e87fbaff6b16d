using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Shop.Orders.Api;
using Shop.Orders.Documents;
using Shop.Orders.Payments;
using Shop.Orders.Stock;
using Shop.Orders.Workflow;
using Shop.Shared.Http.Idempotency;
using Shop.Shared.Messaging;
using Shop.Shared.Mongo;
using Shop.Shared.Security;
using Shop.Shared.Observability;
using Shop.Shared.OpenApi;
using Shop.Shared.RateLimiting;

namespace Shop.Orders;

public static class OrderRegistration
{
    /// <summary>Everything OrderFunctions adds to the shared defaults.</summary>
    public static IServiceCollection AddOrders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OrderOptions>()
            .Bind(configuration.GetSection(OrderOptions.Section))
            .Validate(o => o.ProductsBaseUrl is { IsAbsoluteUri: true }, "Orders:ProductsBaseUrl must be an absolute URL.")
            .Validate(o => o.IdempotencyKeyLifetime >= TimeSpan.FromHours(24), "Orders:IdempotencyKeyLifetime must be at least 24 hours.")
            .Validate(o => o.ShipmentTimeout > TimeSpan.Zero && o.ActivityRetry.MaxAttempts >= 1, "Orders:ShipmentTimeout and ActivityRetry need positive values.")
            .ValidateOnStart();
        services.SetMetricsApp("orders");
        services.AddDeclaredRateLimits(typeof(OrderRegistration).Assembly);
        services.AddOpenApiDocument(OpenApiFunction.App);
        services.AddShopMessaging();
        services.AddMongoStore<OrderStore>();
        services.AddIdempotentRequests().Configure<IOptions<OrderOptions>>((idempotency, orders) =>
        {
            idempotency.Subject = OrderPlacement.KeySubject;
            idempotency.KeyLifetime = orders.Value.IdempotencyKeyLifetime;
            idempotency.Lease = orders.Value.IdempotencyLease;
            idempotency.DuplicateWait = orders.Value.DuplicateWait;
        });
        services.AddSingleton<OrderWorkflowStarter>();
        services.AddSingleton<OrderMetrics>();
        services.AddSingleton<OrderRecorder>();
        services.AddSingleton<OrderPlacement>();
        services.AddSingleton<OrderQueries>();
        services.AddSingleton<OrderCommands>();
        services.AddPayments(configuration);
        services.AddStockClient();
        return services;
    }

    /// <summary>
    /// The typed client for ProductFunctions' internal API with the standard resilience pipeline: per-attempt
    /// timeout, retries with exponential back-off and jitter on 5xx/408/429/network errors, a circuit breaker, and a
    /// total timeout. Retrying the POSTs is safe because every reservation call is idempotent per order id.
    /// </summary>
    public static IServiceCollection AddStockClient(this IServiceCollection services)
    {
        services.AddHttpClient<IStockClient, HttpStockClient>(HttpStockClient.ClientName, (sp, client) =>
            {
                var orders = sp.GetRequiredService<IOptions<OrderOptions>>().Value;
                var internalApi = sp.GetRequiredService<IOptions<InternalApiOptions>>().Value;
                var baseUrl = orders.ProductsBaseUrl!.ToString();
                client.BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
                client.Timeout = Timeout.InfiniteTimeSpan;
                if (!string.IsNullOrEmpty(orders.ProductsFunctionKey))
                {
                    client.DefaultRequestHeaders.Add("x-functions-key", orders.ProductsFunctionKey);
                }

                if (!string.IsNullOrEmpty(internalApi.OutgoingApiKey))
                {
                    client.DefaultRequestHeaders.Add(InternalApiOptions.HeaderName, internalApi.OutgoingApiKey);
                }
            })
            .AddStandardResilienceHandler(options =>
            {
                // Longer than ProductFunctions' own wait for a concurrent duplicate reservation (10 s).
                options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(15);
                options.Retry.MaxRetryAttempts = 3;
                options.Retry.BackoffType = DelayBackoffType.Exponential;
                options.Retry.UseJitter = true;
                options.Retry.Delay = TimeSpan.FromMilliseconds(500);
                options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(30);
                options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(15);
                options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(60);
            });
        return services;
    }
}
