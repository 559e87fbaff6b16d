using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Moq.Protected;
using Shop.Orders.Stock;
using Shop.Orders.Workflow;

namespace Shop.UnitTests.Orders;

/// <summary>
/// An orchestrator body against a mocked TaskOrchestrationContext: activities answer what a test set up and are
/// recorded in <see cref="Calls"/> with their inputs; events are never raised unless a test raises them.
/// </summary>
public abstract class MockedOrchestration
{
    protected static readonly DateTime Now = new(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    protected static readonly OrderInput Input = new(
        "order-1", "user-1", [new StockItem("p1", 2)], "payment-ref-1", TimeSpan.FromDays(3),
        new RetrySettings(5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)));

    protected MockedOrchestration()
    {
        Context.Protected().SetupGet<ILoggerFactory>("LoggerFactory").Returns(NullLoggerFactory.Instance);
        Context.SetupGet(c => c.CurrentUtcDateTime).Returns(Now);
        Context.SetupGet(c => c.IsReplaying).Returns(false);
        NeverRaised<CancelRequest>(OrderEvents.Cancel);
        NeverRaised<ShipmentNotice>(OrderEvents.Ship);
    }

    protected Mock<TaskOrchestrationContext> Context { get; } = new() { CallBase = true };

    protected List<(string Activity, object? Input)> Calls { get; } = [];

    protected static TaskFailedException Unavailable(string activity) =>
        new(activity, 1, TaskFailureDetails.FromException(new StockServiceUnavailableException("connection refused")));

    protected void NeverRaised<T>(string eventName) =>
        Context.Setup(c => c.WaitForExternalEvent<T>(eventName, It.IsAny<CancellationToken>()))
            .Returns(new TaskCompletionSource<T>().Task);

    protected void Raised<T>(string eventName, T payload) =>
        Context.Setup(c => c.WaitForExternalEvent<T>(eventName, It.IsAny<CancellationToken>())).Returns(Task.FromResult(payload));

    protected void Activity<T>(string name, T result) =>
        Context.Setup(c => c.CallActivityAsync<T>(It.Is<TaskName>(n => n.Name == name), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback((TaskName _, object? input, TaskOptions? _) => Calls.Add((name, input)))
            .ReturnsAsync(result);
}
