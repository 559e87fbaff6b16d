using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Shop.Shared.Http;

namespace Shop.UnitTests.Shared;

public sealed class ClientAddressResolverTests
{
    private static ClientAddressResolver Resolver(Action<ClientAddressOptions>? configure = null)
    {
        var options = new ClientAddressOptions();
        configure?.Invoke(options);
        return new ClientAddressResolver(Options.Create(options));
    }

    private static HttpRequest Request(string peer, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        return context.Request;
    }

    [Fact]
    public void A_trusted_proxy_names_the_client_in_x_real_ip()
    {
        Assert.Equal("203.0.113.9", Resolver().Resolve(Request("127.0.0.1", ("X-Real-IP", "203.0.113.9"))));
    }

    [Fact]
    public void An_untrusted_peer_is_the_client_whatever_it_claims()
    {
        var request = Request("198.51.100.7", ("X-Real-IP", "203.0.113.9"), ("X-Forwarded-For", "203.0.113.10"));

        Assert.Equal("198.51.100.7", Resolver().Resolve(request));
    }

    [Fact]
    public void A_trusted_proxy_that_sent_no_header_is_itself_the_client()
    {
        Assert.Equal("127.0.0.1", Resolver().Resolve(Request("127.0.0.1")));
    }

    [Fact]
    public void Configured_networks_and_addresses_are_trusted_and_nothing_else()
    {
        var resolver = Resolver(o =>
        {
            o.TrustedNetworks = ["10.244.0.0/16"];
            o.TrustedProxies = ["172.28.0.10"];
        });

        Assert.Equal("203.0.113.1", resolver.Resolve(Request("10.244.3.17", ("X-Real-IP", "203.0.113.1"))));
        Assert.Equal("203.0.113.2", resolver.Resolve(Request("172.28.0.10", ("X-Real-IP", "203.0.113.2"))));
        Assert.Equal("172.28.0.11", resolver.Resolve(Request("172.28.0.11", ("X-Real-IP", "203.0.113.3"))));
        Assert.Equal("10.245.0.1", resolver.Resolve(Request("10.245.0.1", ("X-Real-IP", "203.0.113.4"))));
    }

    [Fact]
    public void Loopback_can_be_distrusted()
    {
        var resolver = Resolver(o => o.TrustLoopback = false);

        Assert.Equal("127.0.0.1", resolver.Resolve(Request("127.0.0.1", ("X-Real-IP", "203.0.113.9"))));
    }

    [Fact]
    public void The_configured_header_is_the_one_read()
    {
        var resolver = Resolver(o => o.Header = "CF-Connecting-IP");

        Assert.Equal("203.0.113.5", resolver.Resolve(Request("127.0.0.1", ("X-Real-IP", "203.0.113.9"), ("CF-Connecting-IP", "203.0.113.5"))));
    }

    [Theory]
    [InlineData(1, "10.0.0.5")]
    [InlineData(2, "203.0.113.9")]
    [InlineData(3, "203.0.113.9")]
    public void Several_proxies_in_a_row_are_walked_from_the_right_up_to_the_hop_limit(int forwardLimit, string expected)
    {
        var resolver = Resolver(o =>
        {
            o.TrustedNetworks = ["10.0.0.0/8"];
            o.ForwardLimit = forwardLimit;
        });

        var request = Request("10.0.0.1", ("X-Real-IP", "198.51.100.1, 203.0.113.9, 10.0.0.5"));

        Assert.Equal(expected, resolver.Resolve(request));
    }

    [Fact]
    public void The_walk_stops_at_the_first_address_that_is_not_a_proxy_of_ours()
    {
        var resolver = Resolver(o => o.ForwardLimit = 5);

        // 203.0.113.9 is the client as our proxy saw it; what is left of it was written by the client.
        Assert.Equal("203.0.113.9", resolver.Resolve(Request("127.0.0.1", ("X-Real-IP", "127.0.0.7, 203.0.113.9"))));
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("203.0.113.9:443")]
    [InlineData("")]
    public void A_header_that_is_not_an_address_leaves_the_peer_as_the_client(string value)
    {
        Assert.Equal("127.0.0.1", Resolver().Resolve(Request("127.0.0.1", ("X-Real-IP", value))));
    }

    [Fact]
    public void An_ipv4_client_over_an_ipv6_socket_is_the_same_client()
    {
        Assert.Equal("198.51.100.7", Resolver().Resolve(Request("::ffff:198.51.100.7")));
        Assert.Equal("203.0.113.9", Resolver().Resolve(Request("::ffff:127.0.0.1", ("X-Real-IP", "::ffff:203.0.113.9"))));
    }

    [Fact]
    public void Empty_entries_as_core_tools_exports_unset_settings_are_ignored()
    {
        var resolver = Resolver(o =>
        {
            o.TrustedNetworks = [""];
            o.TrustedProxies = ["  "];
        });

        Assert.Equal("198.51.100.7", resolver.Resolve(Request("198.51.100.7", ("X-Real-IP", "203.0.113.9"))));
    }

    [Fact]
    public void Every_mistake_in_the_settings_is_named_and_refused()
    {
        var options = new ClientAddressOptions
        {
            Header = " ",
            ForwardLimit = 0,
            TrustedProxies = ["10.0.0.300"],
            TrustedNetworks = ["10.0.0.0/33", "10.0.0.0"],
        };

        var errors = ClientAddressResolver.Validate(options);

        Assert.Equal(5, errors.Count);
        Assert.Contains(errors, e => e.Contains("'10.0.0.300'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'10.0.0.0/33'", StringComparison.Ordinal));
        Assert.Throws<OptionsValidationException>(() => new ClientAddressResolver(Options.Create(options)));
    }
}
