using Microsoft.DurableTask;
using Moq;
using Shop.Orders.Documents;
using Shop.Orders.Payments;
using Shop.Orders.Workflow;

namespace Shop.UnitTests.Orders;

/// <summary>
/// The lifecycle's orchestrator body against a mocked TaskOrchestrationContext: which activities it calls, in which
/// order, with which inputs. (The same body runs on the real engine in the integration tests.)
/// </summary>
public sealed class OrderLifecycleTests : MockedOrchestration
{
    public OrderLifecycleTests()
    {
        Activity(ActivityNames.ReserveOrderStock, new OrderStepOutcome(OrderStatus.StockReserved, Total: 3000, Currency: "EUR"));
        Activity(ActivityNames.AuthorizeOrderPayment, new OrderStepOutcome(OrderStatus.Confirmed));
        Activity(ActivityNames.ExitOrder, true);
    }

    [Fact]
    public async Task A_completed_order_is_four_activities_reserve_authorise_capture_at_shipment_and_complete_at_delivery()
    {
        Raised(OrderEvents.Ship, new ShipmentNotice("admin-1"));
        Raised(OrderEvents.Deliver, new DeliveryNotice("admin-1"));
        Context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).Returns(new TaskCompletionSource().Task);
        Activity(ActivityNames.CaptureShippedOrder, new CaptureOutcome(true, "pay_1"));
        Activity(ActivityNames.CompleteDeliveredOrder, true);

        var outcome = await OrderLifecycle.RunAsync(Context.Object, Input);

        Assert.Equal(new OrderOutcome("order-1", OrderStatus.Completed), outcome);
        Assert.Equal(
            [ActivityNames.ReserveOrderStock, ActivityNames.AuthorizeOrderPayment, ActivityNames.CaptureShippedOrder, ActivityNames.CompleteDeliveredOrder],
            Calls.Select(c => c.Activity));
        Assert.Equal(new ReserveOrderStockInput("order-1", "user-1", Input.Items), Calls[0].Input);
        Assert.Equal(new AuthorizeOrderPaymentInput("order-1", "user-1", "payment-ref-1", 3000, "EUR"), Calls[1].Input);
        Assert.Equal(new OrderStepInput("order-1", "user-1"), Calls[2].Input);
    }

    [Theory]
    [InlineData(ActivityNames.ReserveOrderStock, OrderStatus.Rejected, "insufficient-stock")]
    [InlineData(ActivityNames.AuthorizeOrderPayment, OrderStatus.PaymentFailed, "card_declined")]
    [InlineData(ActivityNames.AuthorizeOrderPayment, OrderStatus.Cancelled, "cancelled-by-customer")]
    public async Task A_step_that_ended_the_order_is_its_last_activity(string step, OrderStatus status, string reason)
    {
        Activity(step, new OrderStepOutcome(status, reason));

        var outcome = await OrderLifecycle.RunAsync(Context.Object, Input);

        Assert.Equal(new OrderOutcome("order-1", status, reason), outcome);
        Assert.Equal(step, Calls[^1].Activity);
        Assert.DoesNotContain(Calls, c => c.Activity == ActivityNames.ExitOrder);
    }

    [Fact]
    public async Task No_shipment_before_the_durable_deadline_is_one_exit_activity_that_voids_the_payment_and_releases_the_stock()
    {
        Context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        var outcome = await OrderLifecycle.RunAsync(Context.Object, Input);

        Assert.Equal(new OrderOutcome("order-1", OrderStatus.Cancelled, "shipment-timeout"), outcome);
        Context.Verify(c => c.CreateTimer(Now + TimeSpan.FromDays(3), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal((ActivityNames.ExitOrder, new ExitOrderInput("order-1", "user-1", OrderStatus.Cancelled, "shipment-timeout", RefundPayment: true, ReleaseStock: true)), Calls[^1]);
        Assert.Equal(3, Calls.Count);
    }

    [Fact]
    public async Task A_cancel_seen_after_the_reservation_releases_the_stock_without_asking_for_payment()
    {
        Raised(OrderEvents.Cancel, new CancelRequest("admin-1", ByAdmin: true));

        var outcome = await OrderLifecycle.RunAsync(Context.Object, Input);

        Assert.Equal(new OrderOutcome("order-1", OrderStatus.Cancelled, "cancelled-by-admin"), outcome);
        Assert.Equal(
            [(ActivityNames.ReserveOrderStock, (object?)new ReserveOrderStockInput("order-1", "user-1", Input.Items)),
             (ActivityNames.ExitOrder, new ExitOrderInput("order-1", "user-1", OrderStatus.Cancelled, "cancelled-by-admin", RefundPayment: false, ReleaseStock: true))],
            Calls);
    }

    [Fact]
    public async Task An_exit_that_fails_for_good_is_tried_again_after_a_durable_timer_until_it_succeeds()
    {
        Context.Setup(c => c.CallActivityAsync<OrderStepOutcome>(It.Is<TaskName>(n => n.Name == ActivityNames.ReserveOrderStock), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .ThrowsAsync(Unavailable(ActivityNames.ReserveOrderStock));
        var exits = 0;
        Context.Setup(c => c.CallActivityAsync<bool>(It.Is<TaskName>(n => n.Name == ActivityNames.ExitOrder), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback((TaskName _, object? input, TaskOptions? _) => Calls.Add((ActivityNames.ExitOrder, input)))
            .Returns(() => ++exits <= 2 ? Task.FromException<bool>(Unavailable(ActivityNames.ExitOrder)) : Task.FromResult(true));
        Context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);

        var outcome = await OrderLifecycle.RunAsync(Context.Object, Input);

        Assert.Equal(new OrderOutcome("order-1", OrderStatus.Rejected, "stock-unavailable"), outcome);
        Assert.Equal(3, exits);
        Assert.All(Calls, c => Assert.Equal(new ExitOrderInput("order-1", "user-1", OrderStatus.Rejected, "stock-unavailable", RefundPayment: false, ReleaseStock: true), c.Input));
        Context.Verify(c => c.CreateTimer(Now + Input.Retry.MaxRetryInterval, It.IsAny<CancellationToken>()), Times.Once);
        Context.Verify(c => c.CreateTimer(Now + (2 * Input.Retry.MaxRetryInterval), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_payment_that_fails_for_good_exits_PaymentFailed_voiding_any_authorisation_and_releasing_the_stock()
    {
        Context.Setup(c => c.CallActivityAsync<OrderStepOutcome>(It.Is<TaskName>(n => n.Name == ActivityNames.AuthorizeOrderPayment), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .ThrowsAsync(new TaskFailedException(ActivityNames.AuthorizeOrderPayment, 1, TaskFailureDetails.FromException(new PaymentGatewayUnavailableException("503"))));

        var outcome = await OrderLifecycle.RunAsync(Context.Object, Input);

        Assert.Equal(new OrderOutcome("order-1", OrderStatus.PaymentFailed, "payment-unavailable"), outcome);
        Assert.Equal(new ExitOrderInput("order-1", "user-1", OrderStatus.PaymentFailed, "payment-unavailable", RefundPayment: true, ReleaseStock: true), Calls[^1].Input);
    }
}
