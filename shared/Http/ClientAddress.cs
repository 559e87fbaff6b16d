using Microsoft.AspNetCore.Http;

namespace Shop.Shared.Http;

/// <summary>
/// The client of the current request as <see cref="ClientAddressResolver"/> decided it, once per request, in
/// <see cref="CorrelationMiddleware"/>: rate-limit partitions, the login throttle and logs all read this one value.
/// </summary>
public static class ClientAddress
{
    private const string ItemKey = "Shop.ClientAddress";

    public static string Of(HttpRequest request) =>
        request.HttpContext.Items.TryGetValue(ItemKey, out var address) && address is string resolved
            ? resolved
            : request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? ClientAddressResolver.Unknown;

    internal static string Remember(HttpContext context, ClientAddressResolver resolver)
    {
        var address = resolver.Resolve(context.Request);
        context.Items[ItemKey] = address;
        return address;
    }
}
