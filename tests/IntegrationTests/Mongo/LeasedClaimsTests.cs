using Microsoft.Extensions.Time.Testing;
using MongoDB.Driver;
using MongoDB.Driver.Core.Servers;
using Shop.IntegrationTests.Infrastructure;
using Shop.Shared.Mongo;
using Shop.Testing.Mongo;

namespace Shop.IntegrationTests.Mongo;

/// <summary><see cref="LeasedClaims{TDocument}"/> against the real database: the database decides every race.</summary>
public sealed class LeasedClaimsTests
{
    private const string MessagesCollection = "messages";

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    // Whole seconds, so a lease computed here equals the one read back at MongoDB's millisecond precision.
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly MongoCommandCounter s_commands = new(MessagesCollection);

    private static MongoClient? s_client;

    [SkippableFact]
    public async Task Of_twenty_concurrent_claimers_exactly_one_wins_and_the_others_find_it_busy()
    {
        var jobs = await JobsAsync();
        var claims = new LeasedClaims<Job>(jobs, TimeProvider.System);
        var id = Guid.NewGuid().ToString("N");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(worker =>
            ClaimAsync(claims, id, "worker " + worker)));

        var winner = Assert.Single(outcomes, o => o.Outcome == ClaimOutcome.Claimed);
        Assert.Equal(19, outcomes.Count(o => o.Outcome == ClaimOutcome.Busy && o.Document.LockToken == winner.Document.LockToken));
        Assert.Equal(winner.Document.Worker, (await claims.FindAsync(id, CancellationToken.None))!.Worker);
    }

    [SkippableFact]
    public async Task A_lease_that_ran_out_is_taken_over_by_exactly_one_of_ten_claimers_which_resumes_the_stored_document()
    {
        var jobs = await JobsAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var claims = new LeasedClaims<Job>(jobs, time);
        var id = Guid.NewGuid().ToString("N");
        var dead = await ClaimAsync(claims, id, "dead");
        time.Advance(Lease + TimeSpan.FromSeconds(1));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(worker =>
            ClaimAsync(claims, id, "taker " + worker)));

        Assert.Equal(ClaimOutcome.Claimed, dead.Outcome);
        var taker = Assert.Single(outcomes, o => o.Outcome == ClaimOutcome.Claimed);
        Assert.True(taker.TookOver);
        Assert.Equal(9, outcomes.Count(o => o.Outcome == ClaimOutcome.Busy));
        var stored = (await claims.FindAsync(id, CancellationToken.None))!;
        Assert.Equal(("dead", taker.Document.LockToken), (stored.Worker, stored.LockToken));
        Assert.NotEqual(dead.Document.LockToken, taker.Document.LockToken);
    }

    [SkippableFact]
    public async Task A_claim_whose_lease_was_taken_over_can_neither_complete_nor_abandon_the_document()
    {
        var jobs = await JobsAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var claims = new LeasedClaims<Job>(jobs, time);
        var id = Guid.NewGuid().ToString("N");
        var slow = (await ClaimAsync(claims, id, "slow")).Document;
        time.Advance(Lease + TimeSpan.FromSeconds(1));
        var taker = (await ClaimAsync(claims, id, "taker")).Document;

        var slowCompleted = await claims.TryCompleteAsync(id, slow.LockToken, Result("slow's"), CancellationToken.None);
        var slowAbandoned = await claims.TryAbandonAsync(id, slow.LockToken, CancellationToken.None);
        var takerCompleted = await claims.TryCompleteAsync(id, taker.LockToken, Result("taker's"), CancellationToken.None);
        var stored = (await claims.FindAsync(id, CancellationToken.None))!;

        Assert.Equal((false, false, true), (slowCompleted, slowAbandoned, takerCompleted));
        Assert.Equal(("taker's", taker.LockToken), (stored.Result, stored.LockToken));
    }

    [SkippableFact]
    public async Task A_completed_document_is_never_taken_over_by_its_lease_nor_completed_or_abandoned_again()
    {
        var jobs = await JobsAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var claims = new LeasedClaims<Job>(jobs, time);
        var id = Guid.NewGuid().ToString("N");
        var first = (await ClaimAsync(claims, id, "first")).Document;
        await claims.TryCompleteAsync(id, first.LockToken, Result("done"), CancellationToken.None);
        time.Advance(Lease * 100);

        var later = await ClaimAsync(claims, id, "later");
        var completedAgain = await claims.TryCompleteAsync(id, first.LockToken, Result("again"), CancellationToken.None);
        var abandoned = await claims.TryAbandonAsync(id, first.LockToken, CancellationToken.None);

        Assert.Equal((ClaimOutcome.Busy, "first", "done"), (later.Outcome, later.Document.Worker, later.Document.Result));
        Assert.Equal((false, false), (completedAgain, abandoned));
    }

    [SkippableFact]
    public async Task A_waiting_duplicate_gets_the_document_once_the_first_claim_completes_it()
    {
        var jobs = await JobsAsync();
        var claims = new LeasedClaims<Job>(jobs, TimeProvider.System);
        var id = Guid.NewGuid().ToString("N");
        var first = (await ClaimAsync(claims, id, "first")).Document;
        var looks = 0;

        var duplicate = claims.ClaimAsync(lease => Job.New(id, lease, "duplicate"), (stored, _) =>
        {
            Interlocked.Increment(ref looks);
            return stored.Result is null ? ExistingClaim.InProgress : ExistingClaim.Answers;
        }, Lease, TimeSpan.FromSeconds(30), CancellationToken.None);
        await Eventually.TrueAsync(() => Volatile.Read(ref looks) > 0, TimeSpan.FromSeconds(10), "the duplicate met the first claim's document");
        await claims.TryCompleteAsync(id, first.LockToken, Result("first's"), CancellationToken.None);
        var answer = await duplicate;

        Assert.Equal((ClaimOutcome.Answered, "first", "first's"), (answer.Outcome, answer.Document.Worker, answer.Document.Result));
    }

    [SkippableFact]
    public async Task A_document_the_caller_judges_stale_is_replaced_at_once_and_an_abandoned_one_is_claimed_afresh()
    {
        var jobs = await JobsAsync();
        var claims = new LeasedClaims<Job>(jobs, TimeProvider.System);
        var staleId = Guid.NewGuid().ToString("N");
        var abandonedId = Guid.NewGuid().ToString("N");
        var old = (await ClaimAsync(claims, staleId, "old")).Document;
        await claims.TryCompleteAsync(staleId, old.LockToken, Result("old"), CancellationToken.None);
        var failed = (await ClaimAsync(claims, abandonedId, "failed")).Document;

        var replaced = await ClaimAsync(claims, staleId, "new", ExistingClaim.Stale);
        var abandoned = await claims.TryAbandonAsync(abandonedId, failed.LockToken, CancellationToken.None);
        var retried = await ClaimAsync(claims, abandonedId, "retry");

        Assert.Equal((ClaimOutcome.Claimed, true), (replaced.Outcome, replaced.TookOver));
        Assert.Null((await claims.FindAsync(staleId, CancellationToken.None))!.Result);
        Assert.True(abandoned);
        Assert.Equal((ClaimOutcome.Claimed, false), (retried.Outcome, retried.TookOver));
    }

    [SkippableFact]
    public async Task Of_four_concurrent_batch_claims_over_the_same_candidates_each_document_is_held_by_exactly_one()
    {
        var messages = await MessagesAsync();
        var claims = new LeasedClaims<Message>(messages, TimeProvider.System);
        var candidates = await StoreAsync(messages, Enumerable.Range(0, 50).Select(_ => Message.Unsent()));

        var held = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ClaimManyAsync(claims, candidates)));

        var stored = await messages.Find(FilterDefinition<Message>.Empty).ToListAsync();
        Assert.Equal(50, stored.Count(m => m.LockToken is not null));
        Assert.Equal(stored.Select(m => (m.Id, m.LockToken)).Order(), held.SelectMany(h => h).Select(m => (m.Id, m.LockToken)).Order());
    }

    [SkippableFact]
    public async Task A_batch_claim_that_takes_every_candidate_returns_them_holding_its_lease_without_reading_them_again()
    {
        var messages = await MessagesAsync();
        var claims = new LeasedClaims<Message>(messages, new FakeTimeProvider(Start));
        var candidates = await StoreAsync(messages, Enumerable.Range(0, 3).Select(_ => Message.Unsent()));

        IReadOnlyList<Message> taken = [];
        var commands = await s_commands.CountAsync(async () => taken = await ClaimManyAsync(claims, candidates));

        Assert.Equal(["update messages"], commands.Select(c => c.ToString()));
        Assert.Equal(candidates.Select(c => (c.Id, (string?)TokenOf(taken), Start.UtcDateTime + Lease)), taken.Select(m => (m.Id, m.LockToken, m.LockedUntil)));
        Assert.Equal(await StoredAsync(messages, taken), taken);
    }

    [SkippableFact]
    public async Task A_batch_claim_takes_free_and_expired_leases_but_neither_a_live_lease_nor_a_document_no_longer_due()
    {
        var messages = await MessagesAsync();
        var time = new FakeTimeProvider(Start);
        var claims = new LeasedClaims<Message>(messages, time);
        var expired = (await StoreAsync(messages, [Message.Unsent()]))[0];
        await ClaimManyAsync(claims, [expired]);
        time.Advance(Lease + TimeSpan.FromSeconds(1));
        var live = (await StoreAsync(messages, [Message.Unsent()]))[0];
        var liveHolder = TokenOf(await ClaimManyAsync(claims, [live]));
        var free = (await StoreAsync(messages, [Message.Unsent()]))[0];
        var sent = (await StoreAsync(messages, [Message.Unsent() with { Sent = true }]))[0];
        var candidates = await StoredAsync(messages, [expired, live, free, sent]);

        IReadOnlyList<Message> taken = [];
        var commands = await s_commands.CountAsync(async () => taken = await ClaimManyAsync(claims, candidates));

        Assert.Equal([expired.Id, free.Id], taken.Select(m => m.Id));
        Assert.Equal(["update messages", "find messages"], commands.Select(c => c.ToString()));
        Assert.Equal(await StoredAsync(messages, taken), taken);
        var token = TokenOf(taken);
        Assert.NotEqual(liveHolder, token);
        Assert.Equal(
            [token, liveHolder, token, null],
            (await StoredAsync(messages, [expired, live, free, sent])).Select(m => m.LockToken));
    }

    [SkippableFact]
    public async Task A_guarded_release_changes_nothing_for_a_claim_whose_lease_was_taken_over_and_frees_the_lease_for_its_holder()
    {
        var messages = await MessagesAsync();
        var time = new FakeTimeProvider(Start);
        var claims = new LeasedClaims<Message>(messages, time);
        var message = (await StoreAsync(messages, [Message.Unsent()]))[0];
        var slow = TokenOf(await ClaimManyAsync(claims, [message]));
        time.Advance(Lease + TimeSpan.FromSeconds(1));
        var taker = TokenOf(await ClaimManyAsync(claims, [message]));

        var slowReleased = await claims.TryReleaseAsync(message.Id, slow, Retried(), CancellationToken.None);
        var afterSlow = (await claims.FindAsync(message.Id, CancellationToken.None))!;
        var takerReleased = await claims.TryReleaseAsync(message.Id, taker, Retried(), CancellationToken.None);
        var afterTaker = (await claims.FindAsync(message.Id, CancellationToken.None))!;
        var releasedAgain = await claims.TryReleaseAsync(message.Id, taker, Retried(), CancellationToken.None);
        var next = await ClaimManyAsync(claims, [afterTaker]);

        Assert.Equal((false, true, false), (slowReleased, takerReleased, releasedAgain));
        Assert.Equal((taker, 0), (afterSlow.LockToken, afterSlow.Attempts));
        Assert.Equal(((string?)null, LeasedClaims<Message>.Free, 1), (afterTaker.LockToken, afterTaker.LockedUntil, afterTaker.Attempts));
        Assert.Equal(message.Id, Assert.Single(next).Id);
    }

    /// <summary>A claim that does not wait, judging what it finds as <paramref name="judged"/>.</summary>
    private static Task<LeasedClaim<Job>> ClaimAsync(LeasedClaims<Job> claims, string id, string worker, ExistingClaim judged = ExistingClaim.InProgress) =>
        claims.ClaimAsync(lease => Job.New(id, lease, worker), (_, _) => judged, Lease, TimeSpan.Zero, CancellationToken.None);

    private static UpdateDefinition<Job> Result(string result) => Builders<Job>.Update.Set(j => j.Result, result);

    private static Task<IReadOnlyList<Message>> ClaimManyAsync(LeasedClaims<Message> claims, IReadOnlyList<Message> candidates) =>
        claims.ClaimManyAsync(
            candidates,
            Builders<Message>.Filter.Eq(m => m.Sent, false),
            Lease,
            (message, lease) => message with { LockToken = lease.Token, LockedUntil = lease.Until },
            CancellationToken.None);

    private static UpdateDefinition<Message> Retried() => Builders<Message>.Update.Inc(m => m.Attempts, 1);

    /// <summary>The one token every held document carries: the claim's.</summary>
    private static string TokenOf(IReadOnlyList<Message> held)
    {
        var token = Assert.Single(held.Select(m => m.LockToken).Distinct());
        Assert.NotNull(token);
        return token;
    }

    private static async Task<List<Message>> StoreAsync(IMongoCollection<Message> messages, IEnumerable<Message> documents)
    {
        var stored = documents.ToList();
        await messages.InsertManyAsync(stored);
        return stored;
    }

    /// <summary>The stored versions of <paramref name="documents"/>, in their order.</summary>
    private static async Task<List<Message>> StoredAsync(IMongoCollection<Message> messages, IEnumerable<Message> documents)
    {
        var ids = documents.Select(d => d.Id).ToList();
        var stored = await messages.Find(Builders<Message>.Filter.In(m => m.Id, ids)).ToListAsync();
        return [.. ids.Select(id => stored.Single(m => m.Id == id))];
    }

    private static async Task<IMongoCollection<Job>> JobsAsync() => (await DatabaseAsync()).GetCollection<Job>("jobs");

    private static async Task<IMongoCollection<Message>> MessagesAsync() => (await DatabaseAsync()).GetCollection<Message>(MessagesCollection);

    private static async Task<IMongoDatabase> DatabaseAsync()
    {
        var servers = await Servers.RequireAsync();
        MongoRegistration.RegisterConventions();
        if (s_client is null)
        {
            var settings = MongoClientSettings.FromConnectionString(servers.MongoUri);
            settings.ServerMonitoringMode = ServerMonitoringMode.Poll;
            s_commands.Configure(settings);
            s_client = new MongoClient(settings);
        }

        return s_client.GetDatabase("shop_test_claims_" + Guid.NewGuid().ToString("N")[..12]);
    }

    public sealed record Job : ILeasedDocument
    {
        public required string Id { get; init; }

        public required string LockToken { get; init; }

        public required DateTime LockedUntil { get; init; }

        public required string Worker { get; init; }

        public string? Result { get; init; }

        public static Job New(string id, ClaimLease lease, string worker) =>
            new() { Id = id, LockToken = lease.Token, LockedUntil = lease.Until, Worker = worker };
    }

    /// <summary>A document others stored, claimed in batches like the outbox's events; due while not sent.</summary>
    public sealed record Message : ILeasedDocument
    {
        public required string Id { get; init; }

        public string? LockToken { get; init; }

        public required DateTime LockedUntil { get; init; }

        public bool Sent { get; init; }

        public int Attempts { get; init; }

        public static Message Unsent() => new() { Id = Guid.NewGuid().ToString("N"), LockedUntil = LeasedClaims<Message>.Free };
    }
}
