using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Shop.IntegrationTests.Payments;

/// <summary>What the fake does to the next request instead of (or after) answering it.</summary>
public enum FakeStripeFault
{
    /// <summary>503 with an api_error body, nothing processed (Stripe saves no idempotent result for it).</summary>
    Answer503,

    /// <summary>429 rate_limit, nothing processed.</summary>
    Answer429,

    /// <summary>The connection is reset before the request is processed.</summary>
    DropBeforeProcessing,

    /// <summary>The request is processed and its result saved under its key, then the connection is reset: the lost response.</summary>
    DropAfterProcessing,
}

public sealed record FakeStripeRequest(
    string Method, string Path, string? IdempotencyKey, string? Authorization, IReadOnlyDictionary<string, string> Form, int Status, bool Replayed);

/// <summary>
/// A local stand-in for the few Stripe endpoints the gateway uses (Kestrel on 127.0.0.1, port chosen by the system),
/// answering as Stripe documents them: payment_intent and refund objects, error objects with the documented types and
/// codes, Idempotency-Key replay of the first result (Idempotent-Replayed: true) and 400 idempotency_error for a key
/// reused with other parameters. PaymentMethods: <c>pm_card_visa*</c> authorises, <c>pm_card_chargeDeclined</c> is
/// declined (402), <c>pm_card_authenticationRequired</c> needs 3-D Secure; any other id does not exist (400).
/// It records every request.
/// </summary>
public sealed class FakeStripe : IAsyncDisposable
{
    public const string SecretKey = "sk_test_fake_0123456789abcdefghij";

    private static readonly string[] Cancelable = ["requires_payment_method", "requires_capture", "requires_confirmation", "requires_action", "processing"];

    private readonly WebApplication _app;
    private readonly object _lock = new();
    private readonly ConcurrentQueue<FakeStripeRequest> _requests = new();
    private readonly ConcurrentQueue<FakeStripeFault> _faults = new();
    private readonly Dictionary<string, (string Fingerprint, int Status, string Body)> _idempotent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, object?>> _intents = new(StringComparer.Ordinal);
    private int _sequence;

    private FakeStripe(WebApplication app) => _app = app;

    public string ApiBase => _app.Urls.Single();

    public IReadOnlyList<FakeStripeRequest> Requests => [.. _requests];

    /// <summary>PaymentIntents really created (replays excluded).</summary>
    public int IntentsCreated { get; private set; }

    public static async Task<FakeStripe> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeStripe(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        return fake;
    }

    public void FailNext(FakeStripeFault fault) => _faults.Enqueue(fault);

    /// <summary>The settings that point OrderFunctions' Stripe provider here.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Payments:Provider"] = "Stripe",
        ["Payments:Stripe:SecretKey"] = SecretKey,
        ["Payments:Stripe:ApiBase"] = ApiBase,
    };

    public string? StatusOf(string paymentIntentId)
    {
        lock (_lock)
        {
            return _intents.TryGetValue(paymentIntentId, out var intent) ? (string?)intent["status"] : null;
        }
    }

    public (string Id, string Status)? IntentFor(string orderId)
    {
        lock (_lock)
        {
            var intent = _intents.Values.SingleOrDefault(i => ((Dictionary<string, string>)i["metadata"]!).GetValueOrDefault("order_id") == orderId);
            return intent is null ? null : ((string)intent["id"]!, (string)intent["status"]!);
        }
    }

    public IReadOnlyList<FakeStripeRequest> RequestsTo(string method, string path) =>
        [.. Requests.Where(r => r.Method == method && r.Path == path)];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var form = request.HasFormContentType
            ? (await request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        var key = request.Headers["Idempotency-Key"].FirstOrDefault();
        var authorization = request.Headers.Authorization.FirstOrDefault();
        var fault = _faults.TryDequeue(out var next) ? next : (FakeStripeFault?)null;

        if (fault is FakeStripeFault.DropBeforeProcessing)
        {
            Record(request, key, authorization, form, 0, replayed: false);
            context.Abort();
            return;
        }

        var (status, body, replayed) = fault switch
        {
            FakeStripeFault.Answer503 => (503, Error("api_error", null, "Stripe is temporarily unavailable."), false),
            FakeStripeFault.Answer429 => (429, Error("invalid_request_error", "rate_limit", "Too many requests hit the API too quickly."), false),
            _ => Answer(request.Method, request.Path.Value!, key, authorization, form),
        };
        Record(request, key, authorization, form, status, replayed);
        if (fault is FakeStripeFault.DropAfterProcessing)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["Request-Id"] = "req_" + Interlocked.Increment(ref _sequence);
        if (replayed)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
        }

        await context.Response.WriteAsync(body);
    }

    private void Record(HttpRequest request, string? key, string? authorization, Dictionary<string, string> form, int status, bool replayed) =>
        _requests.Enqueue(new FakeStripeRequest(request.Method, request.Path.Value!, key, authorization, form, status, replayed));

    private (int Status, string Body, bool Replayed) Answer(string method, string path, string? key, string? authorization, Dictionary<string, string> form)
    {
        if (authorization != "Bearer " + SecretKey)
        {
            return (401, Error("invalid_request_error", null, "Invalid API Key provided."), false);
        }

        lock (_lock)
        {
            var fingerprint = method + " " + path + " " + string.Join('&', form.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + "=" + f.Value));
            if (method == "POST" && key is not null && _idempotent.TryGetValue(key, out var saved))
            {
                return saved.Fingerprint == fingerprint
                    ? (saved.Status, saved.Body, true)
                    : (400, Error("idempotency_error", null, $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request."), false);
            }

            var (status, body) = Process(method, path, form);
            if (method == "POST" && key is not null && status < 500)
            {
                _idempotent[key] = (fingerprint, status, body);
            }

            return (status, body, false);
        }
    }

    private (int Status, string Body) Process(string method, string path, Dictionary<string, string> form)
    {
        var segments = path.Trim('/').Split('/');
        return (method, segments) switch
        {
            ("POST", ["v1", "payment_intents"]) => Create(form),
            ("GET", ["v1", "payment_intents", var id]) => WithIntent(id, intent => (200, Json(intent))),
            ("POST", ["v1", "payment_intents", var id, "capture"]) => WithIntent(id, Capture),
            ("POST", ["v1", "payment_intents", var id, "cancel"]) => WithIntent(id, Cancel),
            ("POST", ["v1", "refunds"]) => WithIntent(form.GetValueOrDefault("payment_intent") ?? "", Refund),
            _ => (404, Error("invalid_request_error", "resource_missing", $"Unrecognized request URL ({method}: {path}).")),
        };
    }

    private (int, string) Create(Dictionary<string, string> form)
    {
        var paymentMethod = form.GetValueOrDefault("payment_method") ?? "";
        if (!paymentMethod.StartsWith("pm_card_", StringComparison.Ordinal))
        {
            return (400, Error("invalid_request_error", "resource_missing", $"No such PaymentMethod: '{paymentMethod}'", param: "payment_method"));
        }

        IntentsCreated++;
        var id = "pi_fake" + Interlocked.Increment(ref _sequence).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
        var amount = long.Parse(form["amount"], System.Globalization.CultureInfo.InvariantCulture);
        var intent = new Dictionary<string, object?>
        {
            ["id"] = id,
            ["object"] = "payment_intent",
            ["amount"] = amount,
            ["amount_capturable"] = 0L,
            ["amount_received"] = 0L,
            ["capture_method"] = form.GetValueOrDefault("capture_method") ?? "automatic_async",
            ["confirmation_method"] = "automatic",
            ["currency"] = form["currency"],
            ["livemode"] = false,
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["payment_method"] = paymentMethod,
            ["metadata"] = form.Where(f => f.Key.StartsWith("metadata[", StringComparison.Ordinal))
                .ToDictionary(f => f.Key["metadata[".Length..^1], f => f.Value, StringComparer.Ordinal),
            ["status"] = "requires_payment_method",
        };
        _intents[id] = intent;
        if (paymentMethod.StartsWith("pm_card_chargeDeclined", StringComparison.Ordinal))
        {
            return (402, Error("card_error", "card_declined", "Your card was declined.", declineCode: "generic_decline", paymentIntent: intent));
        }

        intent["status"] = paymentMethod == "pm_card_authenticationRequired" ? "requires_action" : "requires_capture";
        intent["amount_capturable"] = (string)intent["status"]! == "requires_capture" ? amount : 0L;
        intent["latest_charge"] = "ch_" + id[3..];
        return (200, Json(intent));
    }

    private static (int, string) Capture(Dictionary<string, object?> intent)
    {
        if ((string)intent["status"]! != "requires_capture")
        {
            return UnexpectedState(intent, "capture");
        }

        intent["status"] = "succeeded";
        intent["amount_received"] = intent["amount"];
        intent["amount_capturable"] = 0L;
        return (200, Json(intent));
    }

    private static (int, string) Cancel(Dictionary<string, object?> intent)
    {
        if (!Cancelable.Contains((string)intent["status"]!))
        {
            return UnexpectedState(intent, "cancel");
        }

        intent["status"] = "canceled";
        intent["amount_capturable"] = 0L;
        intent["canceled_at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        intent["cancellation_reason"] = "requested_by_customer";
        return (200, Json(intent));
    }

    private (int, string) Refund(Dictionary<string, object?> intent)
    {
        if ((string)intent["status"]! != "succeeded")
        {
            return (400, Error("invalid_request_error", "charge_not_captured", "This PaymentIntent has not been captured; cancel it instead."));
        }

        if (intent.ContainsKey("refunded"))
        {
            return (400, Error("invalid_request_error", "charge_already_refunded", $"Charge {intent["latest_charge"]} has already been refunded."));
        }

        intent["refunded"] = true;
        return (200, Json(new Dictionary<string, object?>
        {
            ["id"] = "re_fake" + Interlocked.Increment(ref _sequence).ToString("D8", System.Globalization.CultureInfo.InvariantCulture),
            ["object"] = "refund",
            ["amount"] = intent["amount"],
            ["charge"] = intent["latest_charge"],
            ["currency"] = intent["currency"],
            ["payment_intent"] = intent["id"],
            ["status"] = "succeeded",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        }));
    }

    private (int, string) WithIntent(string id, Func<Dictionary<string, object?>, (int, string)> action) =>
        _intents.TryGetValue(id, out var intent)
            ? action(intent)
            : (404, Error("invalid_request_error", "resource_missing", $"No such payment_intent: '{id}'", param: "intent"));

    private static (int, string) UnexpectedState(Dictionary<string, object?> intent, string action) =>
        (400, Error("invalid_request_error", "payment_intent_unexpected_state",
            $"This PaymentIntent could not be {action}d because it has a status of {intent["status"]}.", paymentIntent: intent));

    private static string Error(
        string type, string? code, string message, string? param = null, string? declineCode = null, Dictionary<string, object?>? paymentIntent = null)
    {
        var error = new Dictionary<string, object?> { ["type"] = type, ["message"] = message };
        if (code is not null)
        {
            error["code"] = code;
            error["doc_url"] = "https://stripe.com/docs/error-codes/" + code.Replace('_', '-');
        }

        if (param is not null)
        {
            error["param"] = param;
        }

        if (declineCode is not null)
        {
            error["decline_code"] = declineCode;
        }

        if (paymentIntent is not null)
        {
            error["payment_intent"] = paymentIntent;
        }

        return Json(new Dictionary<string, object?> { ["error"] = error });
    }

    private static string Json(object value) => JsonSerializer.Serialize(value);
}
