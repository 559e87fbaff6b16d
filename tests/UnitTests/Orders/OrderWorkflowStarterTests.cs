using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Shop.Orders.Stock;
using Shop.Orders.Workflow;

namespace Shop.UnitTests.Orders;

public sealed class OrderWorkflowStarterTests
{
    private static readonly OrderInput Input = new(
        "order-1", "user-1", [new StockItem("p1", 1)], "tok_approve", TimeSpan.FromDays(3),
        new RetrySettings(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)));

    private readonly Mock<DurableTaskClient> _client = new("test");
    private readonly OrderWorkflowStarter _starter = new(NullLogger<OrderWorkflowStarter>.Instance);

    [Fact]
    public async Task An_existing_instance_is_never_scheduled_again()
    {
        _client.Setup(c => c.GetInstanceAsync("order-1", false, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrchestrationMetadata(OrderLifecycle.Name, "order-1") { RuntimeStatus = OrchestrationRuntimeStatus.Completed });

        var started = await _starter.EnsureStartedAsync(_client.Object, Input, CancellationToken.None);

        Assert.False(started);
        _client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_new_instance_is_scheduled_under_the_order_id_with_every_status_treated_as_a_duplicate()
    {
        StartOrchestrationOptions? options = null;
        _client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Callback((TaskName _, object? _, StartOrchestrationOptions? o, CancellationToken _) => options = o)
            .ReturnsAsync("order-1");

        var started = await _starter.EnsureStartedAsync(_client.Object, Input, CancellationToken.None);

        Assert.True(started);
        Assert.Equal("order-1", options!.InstanceId);
        Assert.Equivalent(StartOrchestrationOptionsExtensions.ValidDedupeStatuses.Select(s => s.ToString()), options.DedupeStatuses);
    }

    [Fact]
    public async Task Losing_a_race_to_start_the_instance_counts_as_started_by_the_winner()
    {
        _client.SetupSequence(c => c.GetInstanceAsync("order-1", false, It.IsAny<CancellationToken>()))
            .ReturnsAsync((OrchestrationMetadata?)null)
            .ReturnsAsync(new OrchestrationMetadata(OrderLifecycle.Name, "order-1") { RuntimeStatus = OrchestrationRuntimeStatus.Running });
        _client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new OrchestrationAlreadyExistsException("An orchestration with id 'order-1' already exists."));

        var started = await _starter.EnsureStartedAsync(_client.Object, Input, CancellationToken.None);

        Assert.False(started);
    }

    [Fact]
    public async Task A_failure_to_schedule_with_no_instance_behind_it_is_not_swallowed()
    {
        _client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("task hub unavailable"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => _starter.EnsureStartedAsync(_client.Object, Input, CancellationToken.None));
    }
}
