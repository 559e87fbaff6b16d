using Shop.Shared.Mongo;
using Step = Shop.Shared.Mongo.ClaimDecision.Step;

namespace Shop.UnitTests.Mongo;

/// <summary>What a claim does next once its insert met a stored document: the decisions of <see cref="LeasedClaims{TDocument}"/>.</summary>
public sealed class ClaimDecisionTests
{
    private static readonly DateTime Now = new(2026, 12, 7, 6, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime LiveLease = Now.AddSeconds(10);
    private static readonly DateTime ExpiredLease = Now.AddSeconds(-1);

    [Fact]
    public void A_document_that_vanished_after_the_failed_insert_is_inserted_again() =>
        Assert.Equal(Step.InsertAgain, ClaimDecision.Next(null, default, Now, waitIsOver: true));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_document_that_answers_the_claim_is_the_answer_whatever_its_lease(bool leaseExpired) =>
        Assert.Equal(Step.Answer, ClaimDecision.Next(ExistingClaim.Answers, leaseExpired ? ExpiredLease : LiveLease, Now, waitIsOver: false));

    [Fact]
    public void A_stale_document_is_taken_over_even_under_a_live_lease() =>
        Assert.Equal(Step.TakeOver, ClaimDecision.Next(ExistingClaim.Stale, LiveLease, Now, waitIsOver: false));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Work_in_progress_whose_lease_ran_out_is_taken_over_even_when_the_wait_is_over(bool waitIsOver) =>
        Assert.Equal(Step.TakeOver, ClaimDecision.Next(ExistingClaim.InProgress, ExpiredLease, Now, waitIsOver));

    [Fact]
    public void Work_in_progress_under_a_live_lease_is_waited_for() =>
        Assert.Equal(Step.Wait, ClaimDecision.Next(ExistingClaim.InProgress, LiveLease, Now, waitIsOver: false));

    [Fact]
    public void Work_in_progress_under_a_live_lease_after_the_wait_is_given_up() =>
        Assert.Equal(Step.GiveUp, ClaimDecision.Next(ExistingClaim.InProgress, LiveLease, Now, waitIsOver: true));

    [Fact]
    public void A_lease_that_ends_exactly_now_is_still_held() =>
        Assert.Equal(Step.Wait, ClaimDecision.Next(ExistingClaim.InProgress, Now, Now, waitIsOver: false));

    [Fact]
    public void A_completed_lease_never_runs_out() =>
        Assert.Equal(Step.GiveUp, ClaimDecision.Next(ExistingClaim.InProgress, LeasedClaims<Job>.Completed, DateTime.MaxValue.AddTicks(-1), waitIsOver: true));

    private sealed record Job(string Id, string LockToken, DateTime LockedUntil) : ILeasedDocument;
}
