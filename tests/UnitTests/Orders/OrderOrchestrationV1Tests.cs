using Microsoft.DurableTask;
using Moq;
using Shop.Orders.Documents;
using Shop.Orders.Payments;
using Shop.Orders.Stock;
using Shop.Orders.Workflow;
using Shop.Orders.Workflow.V1;

namespace Shop.UnitTests.Orders;

/// <summary>
/// The first version's orchestrator body (kept for in-flight orchestrations) against a mocked TaskOrchestrationContext: which activities it calls, in which order, with
/// which inputs. (The same body runs on the real engine in the integration tests.)
/// </summary>
public sealed class OrderOrchestrationV1Tests : MockedOrchestration
{
    public OrderOrchestrationV1Tests()
    {
        Activity(V1ActivityNames.RecordTransition, true);
        Activity<object>(V1ActivityNames.ReleaseStock, true);
        Activity<object>(V1ActivityNames.RefundPayment, new RefundOutcome(true, "pay_1"));
        Activity(V1ActivityNames.ReserveStock, ReservationOutcome.Accepted([new PricedItem("p1", 2, "Kettle", 1500, "EUR")], 3000, "EUR"));
        Activity(V1ActivityNames.AuthorizePayment, PaymentOutcome.Approve("pay_1"));
    }

    [Fact]
    public async Task A_rejected_reservation_ends_Rejected_without_asking_for_payment()
    {
        Activity(V1ActivityNames.ReserveStock, ReservationOutcome.Rejected("insufficient-stock"));

        var outcome = await OrderOrchestrationV1.RunAsync(Context.Object, Input);

        Assert.Equal(new OrderOutcome("order-1", OrderStatus.Rejected, "insufficient-stock"), outcome);
        Assert.Equal(["RecordTransition:Pending", "ReserveStock", "RecordTransition:Rejected"], Steps());
    }

    [Fact]
    public async Task A_declined_payment_releases_stock_then_records_PaymentFailed()
    {
        Activity(V1ActivityNames.AuthorizePayment, PaymentOutcome.Decline("card_declined"));

        var outcome = await OrderOrchestrationV1.RunAsync(Context.Object, Input);

        Assert.Equal(OrderStatus.PaymentFailed, outcome.Status);
        Assert.Equal(
            ["RecordTransition:Pending", "ReserveStock", "RecordTransition:StockReserved", "AuthorizePayment", "ReleaseStock", "RecordTransition:PaymentFailed"],
            Steps());
        var authorization = Assert.IsType<AuthorizePaymentInput>(Calls.Single(c => c.Activity == V1ActivityNames.AuthorizePayment).Input);
        Assert.Equal(new AuthorizePaymentInput("order-1", "payment-ref-1", 3000, "EUR"), authorization);
    }

    [Fact]
    public async Task The_shipment_deadline_is_a_durable_timer_from_the_orchestration_clock_and_its_expiry_compensates_newest_first()
    {
        Context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        var outcome = await OrderOrchestrationV1.RunAsync(Context.Object, Input);

        Assert.Equal(new OrderOutcome("order-1", OrderStatus.Cancelled, "shipment-timeout"), outcome);
        Context.Verify(c => c.CreateTimer(Now + TimeSpan.FromDays(3), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(["RefundPayment", "ReleaseStock", "RecordTransition:Cancelled"], Steps()[^3..]);
        Assert.All(Calls.Select(c => c.Input).OfType<TransitionInput>(), t => Assert.Equal(Now, t.At));
    }

    [Fact]
    public async Task A_shipment_records_Shipped_then_captures_the_payment_before_waiting_for_delivery()
    {
        Context.Setup(c => c.WaitForExternalEvent<ShipmentNotice>(OrderEvents.Ship, It.IsAny<CancellationToken>()))
            .Returns(Task.FromResult(new ShipmentNotice("admin-1")));
        Context.Setup(c => c.WaitForExternalEvent<DeliveryNotice>(OrderEvents.Deliver, It.IsAny<CancellationToken>()))
            .Returns(Task.FromResult(new DeliveryNotice("admin-1")));
        Context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).Returns(new TaskCompletionSource().Task);
        Activity(V1ActivityNames.CapturePayment, new CaptureOutcome(true, "pay_1"));
        Activity(V1ActivityNames.CommitStock, true);

        var outcome = await OrderOrchestrationV1.RunAsync(Context.Object, Input);

        Assert.Equal(new OrderOutcome("order-1", OrderStatus.Completed), outcome);
        Assert.Equal(
            ["RecordTransition:Confirmed", "RecordTransition:Shipped", "CapturePayment", "RecordTransition:Delivered", "CommitStock", "RecordTransition:Completed"],
            Steps()[^6..]);
        Assert.Equal("order-1", Calls.Single(c => c.Activity == V1ActivityNames.CapturePayment).Input);
        Assert.DoesNotContain(Calls, c => c.Activity == V1ActivityNames.RefundPayment);
    }

    [Fact]
    public async Task A_capture_that_fails_for_good_is_tried_again_after_a_durable_timer_and_never_refunds_a_shipped_order()
    {
        Context.Setup(c => c.WaitForExternalEvent<ShipmentNotice>(OrderEvents.Ship, It.IsAny<CancellationToken>()))
            .Returns(Task.FromResult(new ShipmentNotice("admin-1")));
        Context.Setup(c => c.WaitForExternalEvent<DeliveryNotice>(OrderEvents.Deliver, It.IsAny<CancellationToken>()))
            .Returns(Task.FromResult(new DeliveryNotice("admin-1")));
        var deadline = new TaskCompletionSource();
        Context.Setup(c => c.CreateTimer(Now + Input.ShipmentTimeout, It.IsAny<CancellationToken>())).Returns(deadline.Task);
        Context.Setup(c => c.CreateTimer(Now + Input.Retry.MaxRetryInterval, It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        var captures = 0;
        Context.Setup(c => c.CallActivityAsync<CaptureOutcome>(It.Is<TaskName>(n => n.Name == V1ActivityNames.CapturePayment), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback((TaskName _, object? input, TaskOptions? _) => Calls.Add((V1ActivityNames.CapturePayment, input)))
            .Returns(() => ++captures == 1
                ? Task.FromException<CaptureOutcome>(new TaskFailedException(V1ActivityNames.CapturePayment, 1, TaskFailureDetails.FromException(new PaymentGatewayUnavailableException("503"))))
                : Task.FromResult(new CaptureOutcome(true, "pay_1")));
        Activity(V1ActivityNames.CommitStock, true);

        var outcome = await OrderOrchestrationV1.RunAsync(Context.Object, Input);

        Assert.Equal(OrderStatus.Completed, outcome.Status);
        Assert.Equal(2, captures);
        Context.Verify(c => c.CreateTimer(Now + Input.Retry.MaxRetryInterval, It.IsAny<CancellationToken>()), Times.Once);
        Assert.DoesNotContain(Calls, c => c.Activity == V1ActivityNames.RefundPayment);
    }

    [Fact]
    public async Task Prices_recorded_with_StockReserved_come_from_the_reservation()
    {
        Context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        await OrderOrchestrationV1.RunAsync(Context.Object, Input);

        var reserved = Calls.Select(c => c.Input).OfType<TransitionInput>().Single(t => t.Status == OrderStatus.StockReserved);
        Assert.Equal(3000, reserved.Pricing!.Total);
        Assert.Equal(new OrderLine("p1", 2, "Kettle", 1500), Assert.Single(reserved.Pricing.Items));
    }

    [Fact]
    public async Task A_release_that_fails_for_good_is_tried_again_after_a_durable_timer_until_it_succeeds_and_only_then_Rejected_is_recorded()
    {
        Context.Setup(c => c.CallActivityAsync<ReservationOutcome>(It.Is<TaskName>(n => n.Name == V1ActivityNames.ReserveStock), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback((TaskName _, object? input, TaskOptions? _) => Calls.Add((V1ActivityNames.ReserveStock, input)))
            .ThrowsAsync(Unavailable(V1ActivityNames.ReserveStock));
        var releases = 0;
        Context.Setup(c => c.CallActivityAsync<object>(It.Is<TaskName>(n => n.Name == V1ActivityNames.ReleaseStock), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback((TaskName _, object? input, TaskOptions? _) => Calls.Add((V1ActivityNames.ReleaseStock, input)))
            .Returns(() => ++releases <= 2 ? Task.FromException<object>(Unavailable(V1ActivityNames.ReleaseStock)) : Task.FromResult<object>(true));
        Context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        var outcome = await OrderOrchestrationV1.RunAsync(Context.Object, Input);

        Assert.Equal(new OrderOutcome("order-1", OrderStatus.Rejected, "stock-unavailable"), outcome);
        Assert.Equal(["RecordTransition:Pending", "ReserveStock", "ReleaseStock", "ReleaseStock", "ReleaseStock", "RecordTransition:Rejected"], Steps());
        // The pause doubles between rounds: one interval, then two.
        Context.Verify(c => c.CreateTimer(Now + Input.Retry.MaxRetryInterval, It.IsAny<CancellationToken>()), Times.Once);
        Context.Verify(c => c.CreateTimer(Now + (2 * Input.Retry.MaxRetryInterval), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_release_refused_as_a_broken_contract_fails_the_orchestration_instead_of_retrying_forever()
    {
        Context.Setup(c => c.CallActivityAsync<ReservationOutcome>(It.Is<TaskName>(n => n.Name == V1ActivityNames.ReserveStock), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .ThrowsAsync(Unavailable(V1ActivityNames.ReserveStock));
        Context.Setup(c => c.CallActivityAsync<object>(It.Is<TaskName>(n => n.Name == V1ActivityNames.ReleaseStock), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .ThrowsAsync(new TaskFailedException(V1ActivityNames.ReleaseStock, 1, TaskFailureDetails.FromException(new StockContractException("401"))));

        await Assert.ThrowsAsync<TaskFailedException>(() => OrderOrchestrationV1.RunAsync(Context.Object, Input));

        Context.Verify(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public void Retries_back_off_exponentially_and_skip_broken_contracts()
    {
        var policy = OrderRetry.Options(Input.Retry).Retry!.Policy!;

        Assert.Equal((5, TimeSpan.FromSeconds(1), 2.0, TimeSpan.FromSeconds(30)),
            (policy.MaxNumberOfAttempts, policy.FirstRetryInterval, policy.BackoffCoefficient, policy.MaxRetryInterval));
        Assert.True(OrderRetry.IsPermanent(TaskFailureDetails.FromException(new StockContractException("401"))));
        Assert.False(OrderRetry.IsPermanent(TaskFailureDetails.FromException(new StockServiceUnavailableException("503"))));
        Assert.False(OrderRetry.IsPermanent(TaskFailureDetails.FromException(new PaymentGatewayUnavailableException("down"))));
    }

    private List<string> Steps() =>
        [.. Calls.Select(c => c.Input is TransitionInput t ? $"{c.Activity}:{t.Status}" : c.Activity)];
}
