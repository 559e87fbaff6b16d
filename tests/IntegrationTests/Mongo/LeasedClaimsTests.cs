using Microsoft.Extensions.Time.Testing;
using MongoDB.Driver;
using MongoDB.Driver.Core.Servers;
using Shop.IntegrationTests.Infrastructure;
using Shop.Shared.Mongo;

namespace Shop.IntegrationTests.Mongo;

/// <summary><see cref="LeasedClaims{TDocument}"/> against the real database: the database decides every race.</summary>
public sealed class LeasedClaimsTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

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

    /// <summary>A claim that does not wait, judging what it finds as <paramref name="judged"/>.</summary>
    private static Task<LeasedClaim<Job>> ClaimAsync(LeasedClaims<Job> claims, string id, string worker, ExistingClaim judged = ExistingClaim.InProgress) =>
        claims.ClaimAsync(lease => Job.New(id, lease, worker), (_, _) => judged, Lease, TimeSpan.Zero, CancellationToken.None);

    private static UpdateDefinition<Job> Result(string result) => Builders<Job>.Update.Set(j => j.Result, result);

    private static async Task<IMongoCollection<Job>> JobsAsync()
    {
        var servers = await Servers.RequireAsync();
        MongoRegistration.RegisterConventions();
        if (s_client is null)
        {
            var settings = MongoClientSettings.FromConnectionString(servers.MongoUri);
            settings.ServerMonitoringMode = ServerMonitoringMode.Poll;
            s_client = new MongoClient(settings);
        }

        return s_client.GetDatabase("shop_test_claims_" + Guid.NewGuid().ToString("N")[..12]).GetCollection<Job>("jobs");
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
}
