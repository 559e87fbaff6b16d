using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Shop.Shared.Json;

namespace Shop.Shared.Http;

/// <summary>
/// Reads a request body into a DTO or answers 400/413/415 with field errors. Nothing reaches a service unless the
/// body is valid JSON of bounded size and depth, names only known fields, has the right types and passes the DTO's
/// validation attributes.
/// </summary>
public static class JsonBody
{
    /// <summary>The default body limit; order and product bodies pass their own.</summary>
    public const int DefaultMaxBytes = 64 * 1024;

    private static readonly string[] UnknownField = ["is not a known field"];

    public static async Task<T> ReadAsync<T>(HttpRequest request, int maxBytes = DefaultMaxBytes)
        where T : class
    {
        if (!IsJson(request.ContentType))
        {
            throw Problems.UnsupportedMediaType();
        }

        if (request.ContentLength > maxBytes)
        {
            throw Problems.PayloadTooLarge(maxBytes);
        }

        var bytes = await ReadLimitedAsync(request.Body, maxBytes, request.HttpContext.RequestAborted);
        return Parse<T>(bytes);
    }

    public static T Parse<T>(ReadOnlyMemory<byte> utf8)
        where T : class
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = ShopJson.Options.MaxDepth, AllowDuplicateProperties = false });
        }
        catch (JsonException)
        {
            throw Problems.BadRequest("The body is not valid JSON (or is nested too deeply, or repeats a property).");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Problems.BadRequest("The body must be a JSON object.");
            }

            RejectUnknownFields<T>(document.RootElement);
            var value = Deserialize<T>(document.RootElement);
            Validate(value);
            return value;
        }
    }

    public static void Validate(object value)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true))
        {
            return;
        }

        var errors = results
            .SelectMany(r => (r.MemberNames.Any() ? r.MemberNames : [""]).Select(m => (Member: ToJsonName(m), r.ErrorMessage)))
            .GroupBy(e => e.Member, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage ?? "is invalid").ToArray(), StringComparer.Ordinal);
        throw Problems.Validation(errors);
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null
        && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/problem+json", StringComparison.OrdinalIgnoreCase));

    private static async Task<byte[]> ReadLimitedAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw Problems.PayloadTooLarge(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static void RejectUnknownFields<T>(JsonElement root)
    {
        var known = ShopJson.Options.GetTypeInfo(typeof(T)).Properties
            .Select(p => p.Name)
            .ToHashSet(StringComparer.Ordinal);
        var unknown = root.EnumerateObject()
            .Select(p => p.Name)
            .Where(name => !known.Contains(name))
            .Distinct(StringComparer.Ordinal)
            .Take(20)
            .ToDictionary(Truncate, _ => UnknownField, StringComparer.Ordinal);
        if (unknown.Count > 0)
        {
            throw Problems.Validation(unknown);
        }
    }

    private static T Deserialize<T>(JsonElement root)
        where T : class
    {
        try
        {
            return root.Deserialize<T>(ShopJson.Options)
                ?? throw Problems.BadRequest("The body must be a JSON object.");
        }
        catch (JsonException exception)
        {
            var field = FieldFromPath(exception.Path);
            var message = field.Length == 0 ? "required fields are missing or null" : "has the wrong type or format";
            throw Problems.Validation(field.Length == 0 ? "$" : field, message);
        }
    }

    private static string FieldFromPath(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "" : Truncate(path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path);

    private static string ToJsonName(string member) =>
        member.Length == 0 ? "$" : JsonNamingPolicy.CamelCase.ConvertName(member);

    private static string Truncate(string name) => name.Length <= 64 ? name : name[..64] + "…";
}
