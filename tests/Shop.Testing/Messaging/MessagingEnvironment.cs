using System.Collections.Concurrent;
using RabbitMQ.Client;
using Shop.Testing.Infrastructure;

namespace Shop.Testing.Messaging;

/// <summary>
/// Names of one test's own exchange, queues and database, so messaging tests run in parallel on shared servers.
/// Disposing deletes the exchanges and queues from the broker (they are durable and would pile up otherwise).
/// </summary>
public sealed class MessagingEnvironment : IAsyncDisposable
{
    private readonly ConcurrentBag<string> _queues = [];

    private MessagingEnvironment(ServerEndpoints servers, string id)
    {
        Servers = servers;
        Id = id;
    }

    public ServerEndpoints Servers { get; }

    public string Id { get; }

    public string Exchange => $"test.{Id}.events";

    public string Database => "shop_test_msg_" + Id;

    public static async Task<MessagingEnvironment> CreateAsync()
    {
        var servers = await Infrastructure.Servers.RequireAsync();
        return new MessagingEnvironment(servers, Guid.NewGuid().ToString("N")[..12]);
    }

    public string Queue(string name)
    {
        var queue = $"test.{Id}.{name}";
        _queues.Add(queue);
        return queue;
    }

    public async Task<IConnection> ConnectAsync() =>
        await new ConnectionFactory { Uri = new Uri(Servers.RabbitMqUri), ClientProvidedName = "shop-tests-" + Id }.CreateConnectionAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var connection = await ConnectAsync();
            await using var channel = await connection.CreateChannelAsync();
            foreach (var queue in _queues.Distinct())
            {
                await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
                await channel.QueueDeleteAsync(queue + ".dead", ifUnused: false, ifEmpty: false);
            }

            await channel.ExchangeDeleteAsync(Exchange, ifUnused: false);
            await channel.ExchangeDeleteAsync(Exchange + ".dlx", ifUnused: false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Console.WriteLine($"[shop-tests] could not delete the broker objects of {Id}: {exception.Message}");
        }
    }
}
