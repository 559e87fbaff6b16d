using System.Text.Json;
using Shop.Shared.Json;

namespace Shop.Shared.Messaging;

/// <summary>An event as a consumer receives it.</summary>
/// <param name="Attempt">1 for the first handler run, 2 for the first retry, and so on.</param>
/// <param name="Redelivered">The broker delivered it before without an ack (the earlier run may have done the work).</param>
public sealed record ReceivedEvent(string Id, string Type, JsonElement Data, DateTime OccurredAt, int Attempt, bool Redelivered)
{
    public T DataAs<T>() =>
        Data.Deserialize<T>(ShopJson.Options) ?? throw new JsonException($"Event {Id} ({Type}) has null data.");
}
