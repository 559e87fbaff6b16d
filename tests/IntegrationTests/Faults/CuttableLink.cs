using System.Net.Sockets;

namespace Shop.IntegrationTests.Faults;

/// <summary>
/// The network between OrderFunctions and ProductFunctions, which a test can cut: refusing connections (the request
/// never arrives) or losing the answers (the request arrives and takes effect, the caller sees a reset connection).
/// </summary>
public sealed class CuttableLink(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public enum Mode
    {
        Up,
        RefuseConnections,
        LoseResponses,
    }

    private volatile Mode _mode = Mode.Up;
    private int _failed;

    public int Failed => _failed;

    public void Set(Mode mode) => _mode = mode;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var mode = _mode;
        if (mode == Mode.RefuseConnections)
        {
            Interlocked.Increment(ref _failed);
            throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (products.test:80)",
                new SocketException((int)SocketError.ConnectionRefused));
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (mode == Mode.LoseResponses)
        {
            response.Dispose();
            Interlocked.Increment(ref _failed);
            throw new HttpRequestException(HttpRequestError.ResponseEnded, "Connection reset by peer (products.test:80)",
                new SocketException((int)SocketError.ConnectionReset));
        }

        return response;
    }
}
