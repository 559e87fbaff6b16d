using Microsoft.AspNetCore.Http;

namespace Shop.Shared.Http;

/// <summary>
/// The caller's IP for throttling. Behind nginx and the Functions host the socket address is a proxy's, so the
/// right-most X-Forwarded-For entry (the one our own proxy appended; earlier entries are client-controlled) is used.
/// </summary>
public static class ClientAddress
{
    public static string Of(HttpRequest request)
    {
        var forwarded = request.Headers["X-Forwarded-For"].ToString();
        if (forwarded.Length > 0)
        {
            var last = forwarded.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
            if (last is not null && System.Net.IPAddress.TryParse(last, out var parsed))
            {
                return parsed.ToString();
            }
        }

        return request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }
}
