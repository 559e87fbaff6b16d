namespace Shop.Shared.Messaging;

/// <summary>Section <c>RabbitMq</c>: the broker and the exchange every Shop event goes through.</summary>
public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    public string Uri { get; set; } = "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>The durable topic exchange; routing keys are event types such as <c>order.paid</c>.</summary>
    public string Exchange { get; set; } = "shop.events";

    /// <summary>Shown in the management UI next to the connection, e.g. <c>order-functions</c>.</summary>
    public string ClientName { get; set; } = "shop";

    /// <summary>How often the client's automatic recovery retries while the broker is away.</summary>
    public TimeSpan NetworkRecoveryInterval { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan ConnectionTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A connection that automatic recovery has not brought back within this time is thrown away and a new one is
    /// made, so a recovery loop that is stuck cannot keep the process off the broker for good.
    /// </summary>
    public TimeSpan ReplaceStuckConnectionAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a publish waits for the broker's confirm before it counts as failed.</summary>
    public TimeSpan ConfirmTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Receives what consumer queues reject for good; each consumer queue has its own <c>&lt;queue&gt;.dead</c>.</summary>
    public string DeadLetterExchange => Exchange + ".dlx";

    public static string DeadLetterQueue(string queue) => queue + ".dead";
}
