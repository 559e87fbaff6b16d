using System.Net.Sockets;
using System.Text;

namespace Shop.IntegrationTests.Abuse;

/// <summary>
/// One HTTP/1.1 exchange as raw bytes over a TCP socket: the request exactly as written (duplicate headers on their own
/// lines, bytes HttpClient refuses to send), then the whole answer until the server closes (the request says
/// <c>Connection: close</c>), chunked bodies decoded.
/// </summary>
public static class WireExchange
{
    private static readonly byte[] s_endOfHeaders = "\r\n\r\n"u8.ToArray();

    public static async Task<TestResponse> SendAsync(Uri server, byte[] request)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, deadline.Token);
        var stream = client.GetStream();
        var reading = ReadToEndAsync(stream, deadline.Token);
        try
        {
            await stream.WriteAsync(request, deadline.Token);
        }
        catch (IOException)
        {
            // The server may answer and close before reading everything (an oversized header): its answer still counts.
        }

        return Parse(await reading);
    }

    private static async Task<byte[]> ReadToEndAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        using var answer = new MemoryStream();
        try
        {
            await stream.CopyToAsync(answer, cancellationToken);
        }
        catch (IOException) when (answer.Length > 0)
        {
            // A reset after the answer (the server closed while the request was still being written).
        }

        return answer.ToArray();
    }

    private static TestResponse Parse(byte[] raw)
    {
        var split = raw.AsSpan().IndexOf(s_endOfHeaders);
        if (split < 0)
        {
            throw new InvalidDataException($"No complete HTTP answer ({raw.Length} bytes): {Encoding.ASCII.GetString(raw)}");
        }

        var lines = Encoding.ASCII.GetString(raw, 0, split).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (name, value) = (line[..colon], line[(colon + 1)..].Trim());
            headers[name] = headers.TryGetValue(name, out var earlier) ? earlier + ", " + value : value;
        }

        var body = raw[(split + s_endOfHeaders.Length)..];
        if (headers.GetValueOrDefault("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)
        {
            body = Dechunk(body);
        }

        return new TestResponse(status, headers, Encoding.UTF8.GetString(body));
    }

    private static byte[] Dechunk(byte[] chunked)
    {
        using var body = new MemoryStream();
        var position = 0;
        while (true)
        {
            var lineEnd = chunked.AsSpan(position).IndexOf("\r\n"u8) + position;
            var size = Convert.ToInt32(Encoding.ASCII.GetString(chunked, position, lineEnd - position).Split(';')[0], 16);
            if (size == 0)
            {
                return body.ToArray();
            }

            body.Write(chunked, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
    }
}
