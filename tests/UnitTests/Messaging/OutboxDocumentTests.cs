using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using Shop.Shared.Messaging;
using Shop.Shared.Mongo;

namespace Shop.UnitTests.Messaging;

public sealed class OutboxDocumentTests
{
    private static readonly DateTime LeaseEnd = new(2026, 12, 7, 6, 0, 30, DateTimeKind.Utc);

    [Fact]
    public void The_lease_keeps_the_element_names_events_were_stored_with_before_the_outbox_used_LeasedClaims()
    {
        MongoRegistration.RegisterConventions();
        var stored = new BsonDocument
        {
            ["_id"] = "order-1:order.created",
            ["type"] = "order.created",
            ["routingKey"] = "order.created",
            ["payload"] = "{}",
            ["occurredAt"] = LeaseEnd,
            ["createdAt"] = LeaseEnd,
            ["nextAttemptAt"] = LeaseEnd,
            ["lockedUntil"] = LeaseEnd,
            ["lockedBy"] = "old-relay",
        };

        var read = BsonSerializer.Deserialize<OutboxDocument>(stored);
        var written = read.ToBsonDocument();

        Assert.Equal(("old-relay", LeaseEnd), (read.LockToken, read.LockedUntil));
        Assert.Equal(("old-relay", LeaseEnd), (written["lockedBy"].AsString, written["lockedUntil"].ToUniversalTime()));
        Assert.DoesNotContain("lockToken", written.Names);
    }
}
