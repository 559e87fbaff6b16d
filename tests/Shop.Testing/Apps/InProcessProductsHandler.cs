using System.Net;
using System.Text;
using Shop.Testing.Hosting;

namespace Shop.Testing.Apps;

/// <summary>
/// The network between OrderFunctions and ProductFunctions, in process: OrderFunctions' real HTTP stock client (with
/// its resilience pipeline and headers) sends requests here, and they run the real functions of a
/// <see cref="ProductTestApp"/> chosen by their own routes, with the routing and function-key check the Functions host would do.
/// </summary>
public sealed class InProcessProductsHandler(ProductTestApp products) : HttpMessageHandler
{
    private int _requests;

    public int Requests => _requests;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        if (!request.Headers.Contains("x-functions-key"))
        {
            return new HttpResponseMessage(HttpStatusCode.Unauthorized);
        }

        var path = request.RequestUri!.AbsolutePath;
        var relative = path.StartsWith("/api/", StringComparison.Ordinal) ? path["/api/".Length..] : path.TrimStart('/');
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var spec = new RequestSpec(request.Method.Method, relative, body, null, headers);
        var response = await products.Host.SendAsync(spec);

        var message = new HttpResponseMessage((HttpStatusCode)response.Status);
        if (response.Body.Length > 0)
        {
            var mediaType = response.ContentType?.Split(';')[0] ?? "application/json";
            message.Content = new StringContent(response.Body, Encoding.UTF8, mediaType);
        }

        return message;
    }
}
