namespace Shop.Shared.Http;

/// <summary>The catalogue of problems the apps answer with, so each status code means one thing everywhere.</summary>
public static class Problems
{
    /// <summary>Every problem type is this base plus a name; apps' own problems use <see cref="Type"/>.</summary>
    public const string TypeBase = "https://shop.example/problems/";

    public static string Type(string name) => TypeBase + name;

    public static ProblemException BadRequest(string detail) =>
        new(new Problem(TypeBase + "bad-request", "The request is malformed.", 400, detail));

    public static ProblemException Validation(IReadOnlyDictionary<string, string[]> errors) =>
        new(new Problem(TypeBase + "validation", "One or more fields are invalid.", 400,
            "See 'errors' for the fields that need attention.") { Errors = errors });

    public static ProblemException Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemException Unauthorized(string detail = "A valid bearer access token is required.") =>
        new(new Problem(TypeBase + "unauthorized", "Authentication is required.", 401, detail)
        {
            Headers = new Dictionary<string, string> { ["WWW-Authenticate"] = "Bearer" },
        });

    public static ProblemException Forbidden(string detail = "You are not allowed to do this.") =>
        new(new Problem(TypeBase + "forbidden", "Forbidden.", 403, detail));

    public static ProblemException NotFound(string detail = "The resource does not exist.") =>
        new(new Problem(TypeBase + "not-found", "Not found.", 404, detail));

    public static ProblemException Conflict(string type, string detail) =>
        new(new Problem(TypeBase + type, "Conflict.", 409, detail));

    public static ProblemException PayloadTooLarge(long limitBytes) =>
        new(new Problem(TypeBase + "payload-too-large", "The request body is too large.", 413,
            $"The body must not exceed {limitBytes} bytes."));

    public static ProblemException UnsupportedMediaType() =>
        new(new Problem(TypeBase + "unsupported-media-type", "Unsupported media type.", 415,
            "Send the body as application/json."));

    public static ProblemException TooManyRequests(TimeSpan retryAfter, string detail) =>
        new(new Problem(TypeBase + "too-many-requests", "Too many requests.", 429, detail) { Headers = RetryAfter(retryAfter) });

    public static ProblemException ServiceUnavailable(string detail, TimeSpan retryAfter) =>
        new(new Problem(TypeBase + "unavailable", "Service unavailable.", 503, detail) { Headers = RetryAfter(retryAfter) });

    /// <summary>409 for work another attempt of the same request is still doing: retrying shortly gets its result.</summary>
    public static ProblemException InProgress(string type, string title, string detail, TimeSpan retryAfter) =>
        new(new Problem(TypeBase + type, title, 409, detail) { Headers = RetryAfter(retryAfter) });

    /// <summary>A Retry-After header in whole seconds, at least one.</summary>
    public static IReadOnlyDictionary<string, string> RetryAfter(TimeSpan delay) => new Dictionary<string, string>
    {
        ["Retry-After"] = Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>504: the request ran out of its deadline (RequestTimeout); distinct from a dependency being down (503).</summary>
    public static ProblemException Timeout(TimeSpan limit) =>
        new(new Problem(TypeBase + "timeout", "The request took too long.", 504,
            $"The request did not complete within {(int)Math.Ceiling(limit.TotalSeconds)} s; it may or may not have taken effect."));

    public static Problem Unexpected() =>
        new(TypeBase + "internal", "An unexpected error occurred.", 500,
            "The error was logged; quote the traceId when you report it.");
}
