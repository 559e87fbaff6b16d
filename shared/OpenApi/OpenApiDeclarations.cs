using System.Reflection;
using System.Text.Json.Nodes;

namespace Shop.Shared.OpenApi;

/// <summary>
/// What an HTTP function declares for the OpenAPI document: its own [OpenApi*] attributes, or, for an app's document
/// function (<see cref="DocumentFunction"/>, declared by each app without attributes), the description written here once.
/// </summary>
public sealed record OpenApiDeclarations(
    OpenApiOperationAttribute? Operation,
    Type? RequestBody,
    IReadOnlyList<OpenApiParameterAttribute> Parameters,
    IReadOnlyList<OpenApiResponseAttribute> Responses,
    IReadOnlyList<OpenApiProblemAttribute> Problems)
{
    /// <summary>
    /// The name of every app's function that serves its document with <see cref="ServedOpenApiDocument.Serve"/>. Each app
    /// declares it itself: the route is the app's, and attribute values must be constants.
    /// </summary>
    public const string DocumentFunction = "ApiDescription";

    private static readonly OpenApiDeclarations s_document = new(
        new OpenApiOperationAttribute("This OpenAPI 3.1 document") { Description = "Built from the app's code at start; cacheable (ETag, If-None-Match)." },
        null,
        [new OpenApiParameterAttribute("If-None-Match", OpenApiParameterLocation.Header, "The ETag of a copy you hold: 304 when it is still current.")],
        [
            new OpenApiResponseAttribute(200, "The document.") { Body = typeof(JsonObject), Headers = [OpenApiHeaders.ETag, OpenApiHeaders.CacheControl] },
            new OpenApiResponseAttribute(304, "The copy you hold is current.") { Headers = [OpenApiHeaders.ETag, OpenApiHeaders.CacheControl] },
        ],
        []);

    public static OpenApiDeclarations Of(string functionName, MethodInfo method) =>
        functionName == DocumentFunction && method.GetCustomAttribute<OpenApiOperationAttribute>() is null
            ? s_document
            : new(
                method.GetCustomAttribute<OpenApiOperationAttribute>(),
                method.GetCustomAttribute<OpenApiRequestBodyAttribute>()?.Type,
                [.. method.GetCustomAttributes<OpenApiParameterAttribute>()],
                [.. method.GetCustomAttributes<OpenApiResponseAttribute>()],
                [.. method.GetCustomAttributes<OpenApiProblemAttribute>()]);
}
