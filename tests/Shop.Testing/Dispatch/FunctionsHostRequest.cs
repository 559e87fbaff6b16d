using System.Net;
using Microsoft.AspNetCore.Http;

namespace Shop.Testing.Dispatch;

/// <summary>
/// What happens to a request on its way to the worker in production: client -> proxy (nginx in compose, the gateway in
/// Kubernetes) -> Functions host -> worker. Measured under a real host (../shared/guide/environment.md): the proxy
/// overwrites X-Real-IP with the address it saw; the host replaces X-Forwarded-For with its own TCP peer and the worker's
/// forwarded-headers handling consumes it, so the worker sees no X-Forwarded-For, the proxy as RemoteIpAddress,
/// X-Real-IP unchanged, and X-Original-For/-Host/-Proto plus x-ms-invocation-id added. Every in-process request goes
/// through this, so the tests see what production sees.
/// </summary>
public static class FunctionsHostRequest
{
    /// <summary>The proxy in front of the host, as the worker sees it; trusted by the apps' default (loopback).</summary>
    public const string ProxyAddress = "127.0.0.1";

    private static readonly string[] ConsumedByTheWorker = ["X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host"];

    /// <param name="context">The request as the client sent it (headers, body); its connection is set here.</param>
    /// <param name="clientAddress">The client's own address.</param>
    /// <param name="throughProxy">False for a client that reaches the host directly (no proxy of ours in between).</param>
    /// <param name="invocationId">The invocation the host creates for the request.</param>
    public static void Apply(HttpContext context, string clientAddress, bool throughProxy, string invocationId)
    {
        var headers = context.Request.Headers;
        var hostPeer = clientAddress;
        if (throughProxy)
        {
            // nginx: proxy_set_header X-Real-IP $remote_addr (whatever the client sent is overwritten).
            headers["X-Real-IP"] = clientAddress;
            hostPeer = ProxyAddress;
        }

        var originalHost = headers.Host.ToString();
        foreach (var name in ConsumedByTheWorker)
        {
            headers.Remove(name);
        }

        headers["X-Original-For"] = "127.0.0.1:" + (40000 + (invocationId.GetHashCode(StringComparison.Ordinal) & 0x3FFF));
        headers["X-Original-Host"] = originalHost.Length > 0 ? originalHost : "localhost";
        headers["X-Original-Proto"] = "http";
        headers["x-ms-invocation-id"] = invocationId;
        context.Connection.RemoteIpAddress = IPAddress.Parse(hostPeer);
    }
}
