using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Shop.Shared.Http;

/// <summary>
/// Decides who the client of a request is: the peer address, unless the peer is a trusted proxy, in which case the
/// address that proxy put in <see cref="ClientAddressOptions.Header"/> (read from the right, hop by hop, while each
/// address is itself a trusted proxy and at most <see cref="ClientAddressOptions.ForwardLimit"/> hops). A header sent
/// by an untrusted peer is never read, and an entry that is not an IP address stops the walk.
/// </summary>
public sealed class ClientAddressResolver
{
    public const string Unknown = "unknown";

    private readonly string _header;
    private readonly int _forwardLimit;
    private readonly bool _trustLoopback;
    private readonly HashSet<IPAddress> _proxies;
    private readonly IPNetwork[] _networks;

    public ClientAddressResolver(IOptions<ClientAddressOptions> options)
    {
        var settings = options.Value;
        var errors = Validate(settings);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(ClientAddressOptions.Section, typeof(ClientAddressOptions), errors);
        }

        _header = settings.Header;
        _forwardLimit = settings.ForwardLimit;
        _trustLoopback = settings.TrustLoopback;
        _proxies = [.. Entries(settings.TrustedProxies).Select(p => Canonical(IPAddress.Parse(p)))];
        _networks = [.. Entries(settings.TrustedNetworks).Select(n => IPNetwork.Parse(n))];
    }

    public string Resolve(HttpRequest request)
    {
        var peer = request.HttpContext.Connection.RemoteIpAddress;
        if (peer is null)
        {
            return Unknown;
        }

        var client = Canonical(peer);
        if (!IsTrusted(client))
        {
            return client.ToString();
        }

        var hops = request.Headers[_header].ToString()
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (int hop = 0, index = hops.Length - 1; hop < _forwardLimit && index >= 0 && IsTrusted(client); hop++, index--)
        {
            if (!IPAddress.TryParse(hops[index], out var forwarded))
            {
                break;
            }

            client = Canonical(forwarded);
        }

        return client.ToString();
    }

    public bool IsTrusted(IPAddress address) =>
        (_trustLoopback && IPAddress.IsLoopback(address)) || _proxies.Contains(address) || _networks.Any(network => network.Contains(address));

    /// <summary>Every configuration mistake at once, naming the entry; the app refuses to start with them.</summary>
    public static List<string> Validate(ClientAddressOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Header))
        {
            errors.Add("ClientAddress:Header must name a header (X-Real-IP by default).");
        }

        if (options.ForwardLimit is < 1 or > 10)
        {
            errors.Add("ClientAddress:ForwardLimit must be between 1 and 10.");
        }

        errors.AddRange(Entries(options.TrustedProxies).Where(p => !IPAddress.TryParse(p, out _))
            .Select(p => $"ClientAddress:TrustedProxies has '{p}', which is not an IP address."));
        errors.AddRange(Entries(options.TrustedNetworks).Where(n => !IPNetwork.TryParse(n, out _))
            .Select(n => $"ClientAddress:TrustedNetworks has '{n}', which is not a network in CIDR notation (10.0.0.0/8)."));
        return errors;
    }

    private static IEnumerable<string> Entries(IEnumerable<string> values) =>
        values.Select(v => v.Trim()).Where(v => v.Length > 0);

    /// <summary>An IPv4 client reached over an IPv6 socket shows as ::ffff:a.b.c.d; it is the same client.</summary>
    private static IPAddress Canonical(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}

/// <summary>Fails the app at start, naming every mistake, instead of trusting the wrong peers.</summary>
public sealed class ClientAddressOptionsValidator : IValidateOptions<ClientAddressOptions>
{
    public ValidateOptionsResult Validate(string? name, ClientAddressOptions options)
    {
        var errors = ClientAddressResolver.Validate(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
