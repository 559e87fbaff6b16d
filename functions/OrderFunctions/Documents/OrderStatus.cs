namespace Shop.Orders.Documents;

public enum OrderStatus
{
    Pending,
    StockReserved,
    Paid,
    Confirmed,
    Shipped,
    Delivered,
    Completed,
    Rejected,
    PaymentFailed,
    Cancelled,
}
