using System.Globalization;

namespace Shop.Shared.Http;

/// <summary>The success responses of the HTTP contract, written once for every app.</summary>
public static class Responses
{
    public static JsonResponse Ok(object body) => new(200, body);

    public static JsonResponse Created(string location, object body) =>
        new JsonResponse(201, body).WithHeader("Location", location);

    public static JsonResponse Accepted(object body, string? location = null)
    {
        var response = new JsonResponse(202, body);
        return location is null ? response : response.WithHeader("Location", location);
    }

    public static JsonResponse NoContent() => new(204, null);

    public static JsonResponse WithETag(this JsonResponse response, long version) =>
        response.WithHeader("ETag", ETags.Format(version));

    public static JsonResponse Problem(Problem problem)
    {
        var response = new JsonResponse(problem.Status, problem, "application/problem+json");
        foreach (var (name, value) in problem.Headers ?? new Dictionary<string, string>())
        {
            response.WithHeader(name, value);
        }

        return response;
    }
}

/// <summary>Strong entity tags carrying a document version: <c>"7"</c>.</summary>
public static class ETags
{
    public static string Format(long version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";
}
