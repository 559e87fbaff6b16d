using System.Net;
using Microsoft.Extensions.Logging;
using Stripe;

namespace Shop.Orders.Payments;

/// <summary>
/// Stripe PaymentIntents with manual capture: authorise (create and confirm with the stored PaymentMethod) when the
/// order is paid, capture when it ships, cancel the authorisation or refund the capture as the compensation.
/// A decline (HTTP 402, a card error, an unknown PaymentMethod) is a result; a network failure, a timeout, 429 or 5xx
/// throws <see cref="PaymentGatewayUnavailableException"/> for the activity retry policy; anything else (a bad key, a
/// broken request) throws <see cref="InvalidOperationException"/> naming the status and error code, never the message
/// body or the key.
/// </summary>
public sealed class StripePaymentGateway(IStripeClient stripe, StripePaymentLedger ledger, ILogger<StripePaymentGateway> logger) : IPaymentGateway
{
    private const string RequiresCapture = "requires_capture";
    private const string Succeeded = "succeeded";
    private const string Canceled = "canceled";

    private readonly PaymentIntentService _intents = new(stripe);
    private readonly RefundService _refunds = new(stripe);

    public async Task<PaymentOutcome> AuthorizeAsync(PaymentAuthorization authorization, CancellationToken cancellationToken)
    {
        var orderId = authorization.IdempotencyKey;
        PaymentIntent intent;
        try
        {
            intent = await _intents.CreateAsync(
                new PaymentIntentCreateOptions
                {
                    Amount = authorization.Amount,
                    Currency = authorization.Currency.ToLowerInvariant(),
                    PaymentMethod = authorization.Token,
                    // Confirmed by the server with no customer present: no method that redirects (so no return_url).
                    AutomaticPaymentMethods = new PaymentIntentAutomaticPaymentMethodsOptions { Enabled = true, AllowRedirects = "never" },
                    CaptureMethod = "manual",
                    Confirm = true,
                    Metadata = new Dictionary<string, string> { ["order_id"] = orderId },
                },
                KeyFor(orderId, Step.Authorize),
                cancellationToken);
        }
        catch (StripeException exception) when (IsDecline(exception))
        {
            var reason = exception.StripeError is { Code: "resource_missing" } ? "invalid_payment_method" : exception.StripeError?.Code ?? "card_declined";
            logger.LogInformation("Order {OrderId}: Stripe declined the authorisation ({Reason})", orderId, reason);
            return PaymentOutcome.Decline(reason);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw Failure(exception, Step.Authorize, orderId);
        }

        await ledger.RecordAsync(orderId, intent.Id, intent.Status, cancellationToken);
        // requires_action (3-D Secure) needs the customer, who is not there when the orchestration confirms.
        return intent.Status is RequiresCapture or Succeeded ? PaymentOutcome.Approve(intent.Id) : PaymentOutcome.Decline(intent.Status);
    }

    public async Task<CaptureOutcome> CaptureAsync(string orderId, CancellationToken cancellationToken)
    {
        if (await ledger.FindAsync(orderId, cancellationToken) is not { } record)
        {
            return new CaptureOutcome(false, null, "no-authorization");
        }

        var intent = await CallAsync(Step.Capture, orderId, () => _intents.CaptureAsync(record.PaymentIntentId, null, KeyFor(orderId, Step.Capture), cancellationToken),
            () => _intents.GetAsync(record.PaymentIntentId, null, null, cancellationToken), cancellationToken);
        await ledger.RecordAsync(orderId, intent.Id, intent.Status, cancellationToken);
        return intent.Status == Succeeded ? new CaptureOutcome(true, intent.Id) : new CaptureOutcome(false, intent.Id, intent.Status);
    }

    public async Task<RefundOutcome> RefundAsync(string orderId, CancellationToken cancellationToken)
    {
        if (await ledger.FindAsync(orderId, cancellationToken) is not { } record)
        {
            // Nothing recorded: the authorisation was declined, or its response was lost on the last attempt. An
            // uncaptured authorisation moves no money and Stripe cancels it after 7 days.
            logger.LogInformation("Order {OrderId}: no PaymentIntent recorded, nothing to give back", orderId);
            return new RefundOutcome(false, null);
        }

        var status = record.Status;
        if (status is not (Succeeded or Canceled))
        {
            var cancelled = await CallAsync(Step.Cancel, orderId, () => _intents.CancelAsync(record.PaymentIntentId, null, KeyFor(orderId, Step.Cancel), cancellationToken),
                () => _intents.GetAsync(record.PaymentIntentId, null, null, cancellationToken), cancellationToken);
            status = cancelled.Status;
            await ledger.RecordAsync(orderId, record.PaymentIntentId, status, cancellationToken);
        }

        if (status == Succeeded)
        {
            await RefundCapturedAsync(orderId, record.PaymentIntentId, cancellationToken);
            return new RefundOutcome(true, record.PaymentIntentId);
        }

        return new RefundOutcome(status == Canceled, record.PaymentIntentId);
    }

    private async Task RefundCapturedAsync(string orderId, string paymentIntentId, CancellationToken cancellationToken)
    {
        try
        {
            await _refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = paymentIntentId }, KeyFor(orderId, Step.Refund), cancellationToken);
        }
        catch (StripeException exception) when (exception.StripeError?.Code == "charge_already_refunded")
        {
            // Refunded by an earlier attempt whose idempotency key Stripe has forgotten (after 24 hours).
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw Failure(exception, Step.Refund, orderId);
        }

        logger.LogInformation("Order {OrderId}: PaymentIntent {PaymentIntentId} refunded", orderId, paymentIntentId);
    }

    /// <summary>
    /// A state change that Stripe may refuse because it already happened (a repeat after Stripe forgot the idempotency
    /// key, or a concurrent change): then the intent as it is now is the answer.
    /// </summary>
    private static async Task<PaymentIntent> CallAsync(
        Step step, string orderId, Func<Task<PaymentIntent>> change, Func<Task<PaymentIntent>> current, CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                return await change();
            }
            catch (StripeException exception) when (exception.StripeError?.Code == "payment_intent_unexpected_state")
            {
                return await current();
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw Failure(exception, step, orderId);
        }
    }

    /// <summary>
    /// Stripe keeps an idempotency key per request, not per payment: a capture sent with the authorise request's key
    /// would get the authorisation's saved response back (or an idempotency error for different parameters). So each
    /// step of an order has its own key, derived from the order id, and every retry of that step reuses it.
    /// (GET needs none: reading changes nothing.)
    /// </summary>
    internal static RequestOptions KeyFor(string orderId, Step step) =>
        new() { IdempotencyKey = $"{orderId}-{step.ToString().ToLowerInvariant()}" };

    private static bool IsDecline(StripeException exception) =>
        exception.HttpStatusCode == HttpStatusCode.PaymentRequired
        || exception.StripeError?.Type == "card_error"
        || (exception.StripeError is { Code: "resource_missing", Param: "payment_method" });

    private static bool IsTransient(Exception exception) => exception switch
    {
        HttpRequestException or TaskCanceledException or TimeoutException => true,
        StripeException { HttpStatusCode: HttpStatusCode.TooManyRequests or HttpStatusCode.Conflict } => true,
        StripeException stripeException => (int)stripeException.HttpStatusCode >= 500,
        _ => false,
    };

    private static Exception Failure(Exception exception, Step step, string orderId)
    {
        if (IsTransient(exception))
        {
            return new PaymentGatewayUnavailableException($"Stripe {step} for order {orderId} failed transiently ({Describe(exception)}).", exception);
        }

        return new InvalidOperationException($"Stripe refused {step} for order {orderId} ({Describe(exception)}).");
    }

    private static string Describe(Exception exception) => exception is StripeException stripeException
        ? $"HTTP {(int)stripeException.HttpStatusCode} {stripeException.StripeError?.Type}/{stripeException.StripeError?.Code}"
        : exception.GetType().Name;

    internal enum Step
    {
        Authorize,
        Capture,
        Cancel,
        Refund,
    }
}
