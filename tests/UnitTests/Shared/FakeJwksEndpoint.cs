using System.Net;
using System.Text;
using System.Text.Json;
using Shop.Auth.Keys;
using Shop.Shared.Json;

namespace Shop.UnitTests.Shared;

/// <summary>AuthFunctions' JWKS endpoint as the verifiers see it: serves the published keys and counts the fetches.</summary>
internal sealed class FakeJwksEndpoint : HttpMessageHandler
{
    private volatile string _body = """{"keys":[]}""";
    private int _fetches;

    public int Fetches => Volatile.Read(ref _fetches);

    public void Publish(SigningKeyRing ring) =>
        _body = JsonSerializer.Serialize(new JsonWebKeySetDto(ring.PublicJwks()), ShopJson.Options);

    public IHttpClientFactory ClientFactory()
    {
        var factory = new Moq.Mock<IHttpClientFactory>();
        factory.Setup(f => f.CreateClient(Moq.It.IsAny<string>())).Returns(() => new HttpClient(this, disposeHandler: false));
        return factory.Object;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Yield so that concurrent callers really overlap with the fetch in flight.
        await Task.Yield();
        Interlocked.Increment(ref _fetches);
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(_body, Encoding.UTF8, "application/json") };
    }
}
