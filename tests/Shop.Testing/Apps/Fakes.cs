using System.Collections.Concurrent;
using Moq;
using Shop.Orders.Payments;
using Shop.Orders.Stock;

namespace Shop.Testing.Apps;

/// <summary>What the fakes were asked to do, in order, across stock and payments.</summary>
public sealed class CallJournal
{
    private readonly ConcurrentQueue<string> _calls = new();

    public void Add(string call) => _calls.Enqueue(call);

    public IReadOnlyList<string> Calls => [.. _calls];

    public int Count(string call) => _calls.Count(c => c == call);
}

public static class Fakes
{
    public const long UnitPrice = 2500;

    /// <summary>A stock service that reserves everything at <see cref="UnitPrice"/> EUR, or rejects with a reason.</summary>
    public static Mock<IStockClient> Stock(CallJournal journal, string? rejectWith = null)
    {
        var stock = new Mock<IStockClient>(MockBehavior.Strict);
        stock.Setup(s => s.ReserveAsync(It.IsAny<string>(), It.IsAny<IReadOnlyList<StockItem>>(), It.IsAny<CancellationToken>()))
            .Callback(() => journal.Add("reserve"))
            .ReturnsAsync((string _, IReadOnlyList<StockItem> items, CancellationToken _) => rejectWith is not null
                ? ReservationOutcome.Rejected(rejectWith)
                : Accepted(items));
        stock.Setup(s => s.ReleaseAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback(() => journal.Add("release"))
            .Returns(Task.CompletedTask);
        stock.Setup(s => s.CommitAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback(() => journal.Add("commit"))
            .Returns(Task.CompletedTask);
        return stock;
    }

    /// <summary>What the fake stock service answers: every item reserved at <see cref="UnitPrice"/> EUR.</summary>
    public static ReservationOutcome Accepted(IReadOnlyList<StockItem> items) =>
        ReservationOutcome.Accepted(
            [.. items.Select(i => new PricedItem(i.ProductId, i.Quantity, "Kettle", UnitPrice, "EUR"))],
            items.Sum(i => i.Quantity * UnitPrice),
            "EUR");

    /// <summary>A gateway mock that journals each call and hands it to the real sandbox gateway.</summary>
    public static Mock<IPaymentGateway> Payments(CallJournal journal, Func<SandboxPaymentGateway> sandbox)
    {
        var payments = new Mock<IPaymentGateway>(MockBehavior.Strict);
        payments.Setup(p => p.AuthorizeAsync(It.IsAny<PaymentAuthorization>(), It.IsAny<CancellationToken>()))
            .Returns((PaymentAuthorization a, CancellationToken ct) =>
            {
                journal.Add("authorize");
                return sandbox().AuthorizeAsync(a, ct);
            });
        payments.Setup(p => p.CaptureAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string orderId, CancellationToken ct) =>
            {
                journal.Add("capture");
                return sandbox().CaptureAsync(orderId, ct);
            });
        payments.Setup(p => p.RefundAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string key, CancellationToken ct) =>
            {
                journal.Add("refund");
                return sandbox().RefundAsync(key, ct);
            });
        return payments;
    }
}
