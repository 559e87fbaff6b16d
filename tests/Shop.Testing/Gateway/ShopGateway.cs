using System.Security.Cryptography;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shop.Auth;
using Shop.Orders;
using Shop.Products;
using Shop.Shared.Mongo;
using Shop.Testing.Dispatch;
using Shop.Testing.Durable;
using Shop.Testing.Hosting;

namespace Shop.Testing.Gateway;

/// <summary>
/// The three apps in process behind one <see cref="LoopbackGateway"/>, wired as compose wires them: each app its own
/// database and Redis prefix, AuthFunctions signing with a key made for this run, the other apps fetching its JWKS
/// through the gateway, OrderFunctions calling ProductFunctions' internal API through the gateway with the
/// <c>orders</c> key of products.json and the run's internal key, and orders on the real Durable Task engine in process.
/// </summary>
public sealed class ShopGateway : IAsyncDisposable
{
    public static readonly string[] AppNames = ["auth", "products", "orders"];

    private readonly LoopbackGateway _gateway;
    private readonly List<IAsyncDisposable> _owned;

    private ShopGateway(LoopbackGateway gateway, IReadOnlyDictionary<string, GatewayApp> apps, List<IAsyncDisposable> owned)
    {
        _gateway = gateway;
        Apps = apps;
        _owned = owned;
    }

    public Uri BaseAddress => _gateway.BaseAddress;

    public IReadOnlyDictionary<string, GatewayApp> Apps { get; }

    public static async Task<ShopGateway> StartAsync(ShopGatewayOptions options, ILoggerFactory? logs = null)
    {
        logs ??= LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        var gateway = await LoopbackGateway.StartAsync(options.Port, logs);
        var owned = new List<IAsyncDisposable>();
        try
        {
            var api = new Uri(gateway.BaseAddress, HttpFunction.RoutePrefix + "/");
            var internalKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
            var keys = AppNames.ToDictionary(a => a, a => FunctionKeys.Load(Path.Combine(options.KeyFilesDirectory, a + ".json")));
            var common = new Dictionary<string, string?>
            {
                ["Auth:Issuer"] = "shop-auth",
                ["Auth:Audience"] = "shop-api",
                ["Auth:JwksUrl"] = new Uri(api, "auth/jwks").ToString(),
            };

            using var signingKey = RSA.Create(2048);
            var auth = await StartAppAsync("auth", options, owned, Merge(common, new()
            {
                ["Auth:SigningKeys:0:Kid"] = "gateway-" + options.RunId,
                ["Auth:SigningKeys:0:PrivateKeyPem"] = signingKey.ExportRSAPrivateKeyPem(),
            }), (s, c) => s.AddAuth(c));
            var products = await StartAppAsync("products", options, owned, Merge(common, new()
            {
                ["Internal:ApiKeys:0"] = internalKey,
            }), (s, c) => s.AddProducts(c));
            var orders = await StartAppAsync("orders", options, owned, Merge(common, new()
            {
                ["Internal:OutgoingApiKey"] = internalKey,
                ["Orders:ProductsBaseUrl"] = api.ToString(),
                ["Orders:ProductsFunctionKey"] = keys["products"].ByName["orders"],
            }), (s, c) => s.AddOrders(c));

            var durable = await InProcessDurableEngine.StartOnFreePortAsync(registry => OrderWorkflowRegistry.Register(registry, orders), logs);
            owned.Insert(0, durable);

            var apps = new Dictionary<string, GatewayApp>
            {
                ["auth"] = new("auth", new FunctionDispatcher(FunctionDispatcher.FunctionClassesOf(typeof(AuthRegistration).Assembly), auth), keys["auth"]),
                ["products"] = new("products", new FunctionDispatcher(FunctionDispatcher.FunctionClassesOf(typeof(ProductRegistration).Assembly), products), keys["products"]),
                ["orders"] = new("orders", new FunctionDispatcher(FunctionDispatcher.FunctionClassesOf(typeof(OrderRegistration).Assembly), orders,
                    new FunctionBindings().With<DurableTaskClient>(durable.Client)), keys["orders"]),
            };
            gateway.Serve([.. apps.Values]);
            return new ShopGateway(gateway, apps, owned);
        }
        catch
        {
            await gateway.DisposeAsync();
            foreach (var resource in owned)
            {
                await resource.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>The settings the app of that name runs with (for an operator command such as grant-admin).</summary>
    public IServiceProvider ServicesOf(string app) => Apps[app].Functions.Services;

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        foreach (var resource in _owned)
        {
            await resource.DisposeAsync();
        }
    }

    /// <summary>The settings every app reads to reach the servers, for the app's own database and Redis prefix.</summary>
    public static Dictionary<string, string?> ServerSettings(ShopGatewayOptions options, string app) => new()
    {
        ["Mongo:ConnectionString"] = options.Servers.MongoUri,
        ["Mongo:Database"] = options.Database(app),
        ["Redis:Configuration"] = options.Servers.Redis,
        ["Redis:KeyPrefix"] = options.RedisPrefix(app),
        ["RabbitMq:Uri"] = options.Servers.RabbitMqUri,
        ["Metrics:Port"] = "0",
        ["RateLimiting:Enabled"] = options.RateLimiting ? "true" : "false",
    };

    private static async Task<ServiceProvider> StartAppAsync(
        string app,
        ShopGatewayOptions options,
        List<IAsyncDisposable> owned,
        Dictionary<string, string?> appSettings,
        Action<IServiceCollection, IConfiguration> addApp)
    {
        var settings = Merge(Merge(ServerSettings(options, app), appSettings), new(options.ExtraSettings));
        var services = AppServices.Build(settings, addApp);
        owned.Add(services);
        await services.GetRequiredService<MongoIndexInitializer>().EnsureAllAsync(CancellationToken.None);
        return services;
    }

    private static Dictionary<string, string?> Merge(Dictionary<string, string?> first, Dictionary<string, string?> second)
    {
        var merged = new Dictionary<string, string?>(first);
        foreach (var (key, value) in second)
        {
            merged[key] = value;
        }

        return merged;
    }
}
