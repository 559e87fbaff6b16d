namespace Shop.Shared.Http;

/// <summary>
/// Section <c>ClientAddress</c>: which peers are proxies of ours, and the header they set. The semantics are ASP.NET
/// Core's ForwardedHeaders (KnownProxies, KnownNetworks, ForwardLimit) applied to <see cref="Header"/>.
/// </summary>
/// <remarks>
/// Under the Functions host the worker never sees a client's X-Forwarded-For: the host replaces it with its own peer and
/// the worker's forwarded-headers handling consumes it, so <c>Connection.RemoteIpAddress</c> is the proxy in front of
/// the host (nginx, the gateway) and X-Real-IP passes through unchanged. That proxy must overwrite X-Real-IP with the
/// address it saw; a value from any other peer is the client's own claim and is ignored.
/// </remarks>
public sealed class ClientAddressOptions
{
    public const string Section = "ClientAddress";

    /// <summary>The header a trusted proxy sets to the address it received the request from.</summary>
    public string Header { get; set; } = "X-Real-IP";

    /// <summary>Single proxy addresses (KnownProxies). Empty entries, as Core Tools exports unset values, are ignored.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR notation (KnownNetworks): the compose network, the gateway's pod network.</summary>
    public List<string> TrustedNetworks { get; set; } = [];

    /// <summary>Loopback peers are proxies of ours, as in ASP.NET Core's defaults (a sidecar, a local nginx).</summary>
    /// <remarks>A flag rather than list entries: the configuration binder appends to a list's defaults.</remarks>
    public bool TrustLoopback { get; set; } = true;

    /// <summary>
    /// How many proxies of ours may stand in a row (ForwardLimit). With more than one, the header holds a comma-separated
    /// list, each proxy appending its peer, and it is read from the right while the address found is trusted.
    /// </summary>
    public int ForwardLimit { get; set; } = 1;
}
