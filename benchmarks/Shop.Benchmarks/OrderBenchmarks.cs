using System.Diagnostics;
using Microsoft.DurableTask.Client;
using Shop.IntegrationTests.Infrastructure;
using Shop.IntegrationTests.Orders;
using Shop.Orders.Workflow;
using static Shop.Benchmarks.Report;
using Shop.Testing.Durable;

namespace Shop.Benchmarks;

/// <summary>
/// Figure 5: orders through the whole lifecycle (place, reserve, pay, confirm, ship, deliver, commit, complete) on the
/// real Durable Task engine in process (InProcessTestHost's in-memory backend, assembled by
/// <see cref="InProcessDurableEngine"/>), the real OrderFunctions and activities, the order documents and sandbox
/// payments on the real MongoDB; stock is the tests' fake stock service.
/// </summary>
internal static class OrderBenchmarks
{
    /// <summary>references.md: Netherite benchmark, EP3, 2023, one node, 5 sequential activities.</summary>
    private const double NetheriteSingleNode = 97;

    public static async Task LifecycleAsync(Settings s, Report report)
    {
        var customers = Enumerable.Range(0, 10).Select(_ => TestTokens.Customer()).ToArray();
        var admin = TestTokens.Admin();
        var productId = Shop.Shared.Http.Ids.New();
        double rate, aloneRate;
        await using (var app = await OrderTestApp.StartAsync(Fakes.Stock(new CallJournal()).Object))
        {
            var warm = Stopwatch.StartNew();
            await RunOneAsync(app, customers[0], admin, productId);
            Console.WriteLine($"   warm-up, one order alone end to end: {warm.Elapsed.TotalMilliseconds:0} ms");

            // One in flight runs in two halves, before and after the concurrent run, so that load from elsewhere on the
            // machine drifting during the figure weighs on both sides of the comparison.
            var alone = await RunManyAsync(app, customers, admin, productId, s.OrdersAlone / 2, 1);
            var concurrent = await RunManyAsync(app, customers, admin, productId, s.Orders, Settings.OrdersInFlight);
            alone += await RunManyAsync(app, customers, admin, productId, s.OrdersAlone - (s.OrdersAlone / 2), 1);
            rate = s.Orders / concurrent.TotalSeconds;
            aloneRate = s.OrdersAlone / alone.TotalSeconds;
            report.Add(new Row("5", $"{s.Orders} orders through the whole lifecycle, {Settings.OrdersInFlight} in flight (place, reserve, pay, confirm, ship, deliver, commit), in-process Durable engine",
                F(rate, 1) + " orders/s", $"no raw baseline; context only: Netherite, 1 node, ~{NetheriteSingleNode:0}/s (5 activities, EP3, 2023)", "", "(context, not like for like)"));
            report.Add(new Row("5b", $"{s.OrdersAlone} orders, one in flight, same engine (half before 5, half after)", F(aloneRate, 1) + " orders/s",
                $"{Settings.OrdersInFlight} in flight (5): {F(rate, 1)} orders/s", F(aloneRate / rate, 2), "(one at a time waits on each step)"));
        }

        // The package's own work-item limit (one per core): what stalled concurrent orders before InProcessDurableEngine.
        await using (var atPackageLimit = await OrderTestApp.StartAsync(Fakes.Stock(new CallJournal()).Object, durableWorkItemLimit: Environment.ProcessorCount))
        {
            var throttled = s.OrdersThrottled / (await RunManyAsync(atPackageLimit, customers, admin, productId, s.OrdersThrottled, s.OrdersThrottled)).TotalSeconds;
            report.Add(new Row("5c", $"{s.OrdersThrottled} orders, all in flight, engine at the package's limit ({Environment.ProcessorCount} work items, then a 500 ms poll)",
                F(throttled, 1) + " orders/s", $"limit raised (5): {F(rate, 1)} orders/s", F(throttled / rate, 2), "(why the engine's limit is raised)"));
        }

        report.Ratio($"orders={F(rate, 1)}/s");
    }

    private static async Task<TimeSpan> RunManyAsync(OrderTestApp app, string[] customers, string admin, string productId, int orders, int inFlight)
    {
        using var gate = new SemaphoreSlim(inFlight);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, orders).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                await RunOneAsync(app, customers[i % customers.Length], admin, productId);
            }
            finally
            {
                gate.Release();
            }
        }));
        return clock.Elapsed;
    }

    /// <summary>One order from placement to Completed; returns its id (the orchestration's instance id).</summary>
    internal static async Task<string> RunOneAsync(OrderTestApp app, string customer, string admin, string productId)
    {
        var id = await app.PlaceOrderAsync(customer, productId);
        await WaitForStepAsync(app, id, OrderSteps.AwaitingShipment);
        var shipped = await app.ShipAsync(id, admin);
        ProductBenchmarks.Require(shipped.Status == 202, "ship: " + shipped);
        await WaitForStepAsync(app, id, OrderSteps.AwaitingDelivery);
        var delivered = await app.DeliverAsync(id, admin);
        ProductBenchmarks.Require(delivered.Status == 202, "deliver: " + delivered);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var metadata = await app.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: false, deadline.Token);
        ProductBenchmarks.Require(metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"order {id} ended {metadata.RuntimeStatus}");
        return id;
    }

    /// <summary>Polls the engine (in memory) for the orchestration's custom status.</summary>
    private static async Task WaitForStepAsync(OrderTestApp app, string id, string step)
    {
        var limit = Stopwatch.StartNew();
        while (true)
        {
            var instance = await app.Client.GetInstanceAsync(id, getInputsAndOutputs: true);
            if (instance?.SerializedCustomStatus?.Contains(step, StringComparison.Ordinal) == true)
            {
                return;
            }

            if (instance is { IsCompleted: true } || limit.Elapsed > TimeSpan.FromSeconds(120))
            {
                throw new InvalidOperationException($"order {id} did not reach {step}: {instance?.RuntimeStatus} {instance?.SerializedCustomStatus}");
            }

            await Task.Delay(20);
        }
    }
}
