namespace Shop.Orders.Payments;

public sealed class PaymentGatewayUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
