using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Shop.IntegrationTests.Abuse;

/// <summary>
/// One line of a corpus file (Abuse/corpus/&lt;app&gt;.jsonl): a hostile request as data. Placeholders are filled in
/// at run time: {{productId}}, {{orderId}}, {{userId}}, {{email}}, {{refreshToken}}, {{customer}} (a valid customer
/// token), {{expired}}, {{foreign}}, {{newKey}} (a fresh GUID), {{rep:N:text}} (text repeated N times).
/// </summary>
public sealed record AbuseCase
{
    public required string Id { get; init; }

    public required string Why { get; init; }

    public required string Function { get; init; }

    public required string Method { get; init; }

    /// <summary>The route template as the trigger declares it, e.g. products/{id}.</summary>
    public required string Path { get; init; }

    public Dictionary<string, string> Route { get; init; } = [];

    public string Query { get; init; } = "";

    public Dictionary<string, string[]> Headers { get; init; } = [];

    /// <summary>none, admin, customer, owner, other, expired, expired-admin, expired-owner, foreign, foreign-admin, internal, raw-internal.</summary>
    public string Auth { get; init; } = "none";

    public string? ContentType { get; init; }

    public string? Body { get; init; }

    public string? BodyBase64 { get; init; }

    /// <summary>2xx, 4xx, any (anything but 5xx), or an exact status: what the function answers.</summary>
    public required string Expect { get; init; }

    /// <summary>
    /// Set where the answer over a real socket differs because Kestrel or the host's routing answers first; the line then
    /// runs both over the socket (this answer) and in process (<see cref="Expect"/>).
    /// </summary>
    public SocketAnswer? OverSocket { get; init; }

    /// <summary>Why the request cannot be written on an HTTP/1.1 connection at all; such a line runs in process only.</summary>
    public string? InProcessOnly { get; init; }

    public override string ToString() => $"{Id} {Function}: {Why}";

    public static bool Accepts(string expect, int status) => expect switch
    {
        "2xx" => status is >= 200 and < 300,
        "4xx" => status is >= 400 and < 500,
        "any" => status is >= 200 and < 500,
        _ => status == int.Parse(expect, System.Globalization.CultureInfo.InvariantCulture),
    };

    public RawRequest ToRequest(Func<string, string> expand, string? bearer, IReadOnlyDictionary<string, string> extraHeaders)
    {
        var route = Route.ToDictionary(r => r.Key, r => expand(r.Value));
        var path = Regex.Replace(Path, @"\{(\w+)\}", m => Uri.EscapeDataString(route.GetValueOrDefault(m.Groups[1].Value, "")));
        var body = BodyBase64 is not null ? Convert.FromBase64String(BodyBase64)
            : Body is not null ? Encoding.UTF8.GetBytes(expand(Body))
            : [];
        var headers = Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.Select(expand).ToArray())).ToList();
        if (bearer is not null && !Headers.ContainsKey("Authorization"))
        {
            headers.Add(KeyValuePair.Create("Authorization", new[] { "Bearer " + bearer }));
        }

        foreach (var (name, value) in extraHeaders)
        {
            if (!Headers.ContainsKey(name))
            {
                headers.Add(KeyValuePair.Create(name, new[] { value }));
            }
        }

        var contentType = ContentType ?? (body.Length > 0 ? "application/json" : null);
        return new RawRequest(Method, path, expand(Query), body, contentType, headers);
    }
}

public static class AbuseCorpus
{

    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly Regex s_repeat = new(@"\{\{rep:(\d+):(.*?)\}\}", RegexOptions.Singleline);

    private static readonly Regex s_placeholder = new(@"\{\{(\w+)\}\}");

    public static IReadOnlyList<AbuseCase> Load(string app)
    {
        var file = System.IO.Path.Combine(AppContext.BaseDirectory, "Abuse", "corpus", app + ".jsonl");
        return [.. File.ReadLines(file)
            .Where(line => line.Trim().Length > 0)
            .Select(line => JsonSerializer.Deserialize<AbuseCase>(line, s_options) ?? throw new InvalidDataException(line))];
    }

    public static TheoryData<string, string> Theory(string app)
    {
        var data = new TheoryData<string, string>();
        foreach (var c in Load(app))
        {
            data.Add(c.Id, c.Function + ": " + c.Why);
        }

        return data;
    }

    /// <summary>Fills placeholders from the variables; {{newKey}} is a fresh GUID at each use.</summary>
    public static Func<string, string> Expander(IReadOnlyDictionary<string, string> variables) => text =>
    {
        var repeated = s_repeat.Replace(text, m => string.Concat(Enumerable.Repeat(m.Groups[2].Value, int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))));
        return s_placeholder.Replace(repeated, m => m.Groups[1].Value == "newKey"
            ? Guid.NewGuid().ToString()
            : variables.TryGetValue(m.Groups[1].Value, out var value) ? value : throw new InvalidDataException($"Unknown placeholder {m.Value}"));
    };

    /// <summary>
    /// What every answer to a hostile request must look like, whatever the expected status. An error a function's
    /// pipeline gives is problem+json with a trace id; one Kestrel or the host gives before any function runs is theirs
    /// (an empty body): both must leak nothing.
    /// </summary>
    public static void AssertCleanAnswer(string what, string expect, TestResponse response, bool answeredByFunction)
    {
        var label = $"{what}: {response.Status} {Shorten(response.Body)}";
        Assert.True(response.Status < 500, "5xx for a hostile request: " + label);
        Assert.True(AbuseCase.Accepts(expect, response.Status), $"expected {expect}: " + label);
        Assert.All(response.Headers, h => Assert.False(h.Value.Contains('\r', StringComparison.Ordinal) || h.Value.Contains('\n', StringComparison.Ordinal), $"CR/LF in response header {h.Key}: {label}"));
        foreach (var leak in new[] { "   at ", ".cs:line", "Exception", "MongoDB.", "StackExchange", "System." })
        {
            Assert.False(response.Body.Contains(leak, StringComparison.Ordinal), $"the answer leaks '{leak}': {label}");
        }

        if (response.Status >= 400 && answeredByFunction)
        {
            Assert.True(response.ContentType?.StartsWith("application/problem+json", StringComparison.Ordinal) == true, $"not problem+json ({response.ContentType}): {label}");
            using var document = JsonDocument.Parse(response.Body);
            Assert.Equal(response.Status, document.RootElement.GetProperty("status").GetInt32());
            Assert.True(document.RootElement.TryGetProperty("traceId", out _), "problem without traceId: " + label);
        }
    }

    private static string Shorten(string text) => text.Length <= 400 ? text : text[..400] + "…";
}
