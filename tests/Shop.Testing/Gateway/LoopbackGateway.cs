using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shop.Testing.Dispatch;

namespace Shop.Testing.Gateway;

/// <summary>
/// TEST INFRASTRUCTURE, never a product runtime: a Kestrel server on 127.0.0.1 standing in for "nginx + one Functions
/// host per app". It serves the apps' in-process functions under their real routes (<c>/api/...</c>), enforces function
/// keys as the host does (<see cref="FunctionKeys"/>), and hands each request to the function as the host behind our
/// proxy would (<see cref="FunctionsHostRequest"/>: X-Real-IP from the proxy, no X-Forwarded-For, the proxy as peer).
/// Routes declared by more than one app (health, health/live) are reachable per app as nginx routes them:
/// <c>/health/{app}</c> and <c>/health/{app}/live</c>; with a single app they are also under <c>/api/</c>.
/// A path no app serves is a plain 404; a known path with another method is 405.
/// </summary>
public sealed class LoopbackGateway : IAsyncDisposable
{
    private readonly WebApplication _server;
    private readonly TaskCompletionSource<IReadOnlyList<GatewayApp>> _apps = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LoopbackGateway(WebApplication server, Uri baseAddress)
    {
        _server = server;
        BaseAddress = baseAddress;
    }

    /// <summary>http://127.0.0.1:PORT/ (no <c>api/</c>).</summary>
    public Uri BaseAddress { get; }

    /// <summary>
    /// Listens at once (port 0: the system picks one); requests wait until <see cref="Serve"/> names the apps, so that
    /// apps can be configured with the gateway's own address (JWKS, the products API that orders calls).
    /// </summary>
    public static async Task<LoopbackGateway> StartAsync(int port = 0, ILoggerFactory? logs = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Services.AddSingleton(logs);
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var server = builder.Build();
        LoopbackGateway? gateway = null;
        server.Run(context => gateway!.HandleAsync(context));
        await server.StartAsync();
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        gateway = new LoopbackGateway(server, new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal) + "/"));
        return gateway;
    }

    /// <summary>
    /// Called with each function the gateway routes a request to, before it runs: lets a test prove which function its
    /// request reached (a request Kestrel or the key check answers never calls it).
    /// </summary>
    public Action<HttpFunction>? Routed { get; set; }

    public void Serve(IReadOnlyList<GatewayApp> apps) => _apps.TrySetResult(apps);

    /// <summary>One app behind its own gateway, with the function keys compose gives it (<see cref="FunctionKeys.OfCompose"/>).</summary>
    public static async Task<LoopbackGateway> ServeOneAsync(string app, FunctionDispatcher functions)
    {
        var gateway = await StartAsync();
        gateway.Serve([new GatewayApp(app, functions, FunctionKeys.OfCompose(app))]);
        return gateway;
    }

    public async ValueTask DisposeAsync()
    {
        _apps.TrySetCanceled();
        await _server.StopAsync();
        await _server.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var apps = await _apps.Task.WaitAsync(context.RequestAborted);
        var (candidates, path) = Resolve(apps, context.Request.Path);
        var found = new List<(GatewayApp App, RouteMatch.Found Match)>();
        var allowed = new List<string>();
        foreach (var app in candidates)
        {
            switch (app.Functions.Match(context.Request.Method, path, context))
            {
                case RouteMatch.Found match:
                    found.Add((app, match));
                    break;
                case RouteMatch.MethodNotAllowed notAllowed:
                    allowed.AddRange(notAllowed.Allowed);
                    break;
            }
        }

        if (found.Count != 1)
        {
            // None, or a route several apps declare asked for without saying which app: what no single host has.
            context.Response.StatusCode = found.Count == 0 && allowed.Count > 0 ? StatusCodes.Status405MethodNotAllowed : StatusCodes.Status404NotFound;
            if (context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed)
            {
                context.Response.Headers.Allow = string.Join(", ", allowed.Distinct());
            }

            return;
        }

        var (target, route) = found[0];
        if (!target.Keys.Admits(route.Function.AuthLevel, FunctionKeys.Presented(context.Request)))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        Routed?.Invoke(route.Function);
        var invocationId = Guid.NewGuid().ToString();
        var client = context.Connection.RemoteIpAddress ?? IPAddress.Loopback;
        context.Request.Path = path;
        FunctionsHostRequest.Apply(context, (client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client).ToString(), throughProxy: true, invocationId);
        await target.Functions.InvokeAsync(route, context, invocationId);
    }

    /// <summary>nginx's health aliases (/health/auth -> auth's /api/health); everything else is /api/... on every app.</summary>
    private static (IEnumerable<GatewayApp> Apps, PathString Path) Resolve(IReadOnlyList<GatewayApp> apps, PathString path)
    {
        var segments = path.Value?.Trim('/').Split('/') ?? [];
        if (segments is ["health", var name, .. var rest] && apps.FirstOrDefault(a => a.Name == name) is { } app)
        {
            return ([app], new PathString("/" + HttpFunction.RoutePrefix + "/health" + string.Concat(rest.Select(s => "/" + s))));
        }

        return (apps, path);
    }
}
