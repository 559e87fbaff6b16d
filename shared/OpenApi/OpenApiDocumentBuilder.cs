using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;
using Shop.Shared.Http;
using Shop.Shared.RateLimiting;

namespace Shop.Shared.OpenApi;

/// <summary>What the document says about the app as a whole; the operations come from its functions.</summary>
public sealed record OpenApiApp(string Title, string Description, Assembly Assembly, string Version = "1.0.0");

/// <summary>
/// Builds an app's OpenAPI 3.1 document from its code: every HTTP function (by the same reflection the Worker SDK
/// uses), its [OpenApi*] declarations, and the answers the shared pipeline adds to every function (function keys,
/// bearer and internal-key checks, JSON body rules, rate limits, deadlines, unexpected and transient failures), so the
/// functions declare only what is their own.
/// </summary>
public static class OpenApiDocumentBuilder
{
    public const string OpenApiVersion = "3.1.1";

    private const string ProblemJson = "application/problem+json";
    private const string Json = "application/json";

    public static JsonObject Build(OpenApiApp app, Func<string, bool> isRateLimited)
    {
        var schemas = new OpenApiSchemas();
        var paths = new JsonObject();
        var tags = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var route in HttpFunction.In(app.Assembly).GroupBy(f => f.Path, StringComparer.Ordinal))
        {
            var item = new JsonObject();
            foreach (var function in route)
            {
                if (function.Methods.Count == 0)
                {
                    throw new InvalidOperationException($"{function.Name} accepts every method: name them in its [HttpTrigger] so the document can list them.");
                }

                foreach (var method in function.Methods.Select(m => m.ToLowerInvariant()))
                {
                    if (item.ContainsKey(method))
                    {
                        throw new InvalidOperationException($"Two functions answer {method.ToUpperInvariant()} {route.Key}.");
                    }

                    item[method] = Operation(function, schemas, isRateLimited(function.Name));
                }

                tags.Add(TagOf(function));
            }

            paths[route.Key] = item;
        }

        return new JsonObject
        {
            ["openapi"] = OpenApiVersion,
            ["info"] = new JsonObject
            {
                ["title"] = app.Title,
                ["version"] = app.Version,
                ["description"] = app.Description,
            },
            ["tags"] = new JsonArray([.. tags.Select(t => (JsonNode)new JsonObject { ["name"] = t })]),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = Sorted(schemas.Components),
                ["headers"] = OpenApiHeaders.Components(),
                ["securitySchemes"] = OpenApiSecurity.Schemes(),
            },
        };
    }

    private static JsonObject Operation(HttpFunction function, OpenApiSchemas schemas, bool rateLimited)
    {
        var method = function.Method;
        var declared = OpenApiDeclarations.Of(function.Name, method);
        var operation = declared.Operation
            ?? throw new InvalidOperationException($"{function.Name} ({method.DeclaringType?.Name}.{method.Name}) has no [OpenApiOperation]: describe it for the OpenAPI document.");
        var body = declared.RequestBody;
        var result = new JsonObject
        {
            ["operationId"] = function.Name,
            ["tags"] = new JsonArray(TagOf(function)),
            ["summary"] = operation.Summary,
        };
        if (operation.Description is not null)
        {
            result["description"] = operation.Description;
        }

        result["security"] = OpenApiSecurity.Requirements(function.AuthLevel, operation.Caller);
        var parameters = Parameters(function, declared);
        if (parameters.Count > 0)
        {
            result["parameters"] = parameters;
        }

        if (body is not null)
        {
            result["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject { [Json] = new JsonObject { ["schema"] = schemas.For(body, request: true) } },
            };
        }

        result["responses"] = Responses(function, declared, operation.Caller, body is not null, rateLimited, schemas);
        return result;
    }

    private static JsonArray Parameters(HttpFunction function, OpenApiDeclarations declarations)
    {
        var parameters = new JsonArray();
        foreach (var name in function.RouteParameters)
        {
            parameters.Add(new JsonObject
            {
                ["name"] = name,
                ["in"] = "path",
                ["required"] = true,
                ["schema"] = new JsonObject { ["type"] = "string" },
            });
        }

        foreach (var declared in declarations.Parameters)
        {
            parameters.Add(new JsonObject
            {
                ["name"] = declared.Name,
                ["in"] = declared.Location == OpenApiParameterLocation.Query ? "query" : "header",
                ["description"] = declared.Description,
                ["required"] = declared.Required,
                ["schema"] = new JsonObject { ["type"] = declared.Type },
            });
        }

        return parameters;
    }

    private static JsonObject Responses(HttpFunction function, OpenApiDeclarations declarations, OpenApiCaller caller, bool readsBody, bool rateLimited, OpenApiSchemas schemas)
    {
        var responses = new SortedDictionary<int, Response>();
        void Declare(int status, Response response)
        {
            if (!responses.TryAdd(status, response))
            {
                throw new InvalidOperationException($"{function.Name} declares status {status} twice.");
            }
        }

        foreach (var declared in declarations.Responses)
        {
            Declare(declared.Status, new Response(declared.Description, declared.Body is null ? null : Json, declared.Body is null ? null : schemas.For(declared.Body), [.. declared.Headers]));
        }

        foreach (var declared in declarations.Problems)
        {
            Declare(declared.Status, Response.Problem(declared.Description, ProblemSchema(schemas, declared.Extensions), [.. declared.Headers]));
        }

        foreach (var (status, implied) in ImpliedResponses(function, caller, readsBody, rateLimited, schemas))
        {
            responses[status] = responses.TryGetValue(status, out var own) ? own.Also(implied) : implied;
        }

        var everyResponse = new List<string> { CorrelationMiddleware.HeaderName };
        if (rateLimited)
        {
            everyResponse.AddRange([RateLimitHeaders.Policy, RateLimitHeaders.Limit]);
        }

        var result = new JsonObject();
        foreach (var (status, response) in responses)
        {
            result[status.ToString(CultureInfo.InvariantCulture)] = response.ToJson(everyResponse);
        }

        return result;
    }

    /// <summary>The answers of the shared pipeline and helpers, which every function of the kind gives without saying so.</summary>
    private static IEnumerable<(int Status, Response Response)> ImpliedResponses(
        HttpFunction function, OpenApiCaller caller, bool readsBody, bool rateLimited, OpenApiSchemas schemas)
    {
        var problem = ProblemSchema(schemas, []);
        var unauthorized = new List<string>();
        if (function.AuthLevel != AuthorizationLevel.Anonymous)
        {
            unauthorized.Add("No valid function key (answered by the Functions host, with an empty body).");
        }

        if (caller is OpenApiCaller.User or OpenApiCaller.Admin)
        {
            unauthorized.Add("No valid bearer access token.");
        }

        if (caller == OpenApiCaller.InternalService)
        {
            unauthorized.Add("No valid internal service key in x-internal-key.");
        }

        if (unauthorized.Count > 0)
        {
            var worker = caller != OpenApiCaller.Anyone;
            yield return (401, new Response(string.Join(" ", unauthorized), worker ? ProblemJson : null, worker ? problem : null,
                caller is OpenApiCaller.User or OpenApiCaller.Admin ? [OpenApiHeaders.WwwAuthenticate] : []));
        }

        if (caller == OpenApiCaller.Admin)
        {
            yield return (403, Response.Problem("The access token does not carry the admin role.", problem, []));
        }

        if (readsBody)
        {
            yield return (400, Response.Problem("The body is not a JSON object, names an unknown field, or fails validation: `errors` names each field.", problem, []));
            yield return (413, Response.Problem("The body is larger than the function accepts.", problem, []));
            yield return (415, Response.Problem("The body is not sent as application/json.", problem, []));
        }

        if (rateLimited)
        {
            yield return (429, Response.Problem("A rate limit is exhausted: `policy` names it; retry after Retry-After.",
                ProblemSchema(schemas, ["policy:string"]), [OpenApiHeaders.RetryAfter]));
        }

        yield return (500, Response.Problem("An unexpected error; quote the traceId.", problem, []));
        yield return (503, Response.Problem("A dependency is down or overloaded; retry after Retry-After.", problem, [OpenApiHeaders.RetryAfter]));
        yield return (504, Response.Problem("The request ran out of its deadline; it may or may not have taken effect.", problem, []));
    }

    private static JsonNode ProblemSchema(OpenApiSchemas schemas, string[] extensions)
    {
        var problem = schemas.For(typeof(Problem));
        if (extensions.Length == 0)
        {
            return problem;
        }

        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var extension in extensions)
        {
            var parts = extension.Split(':');
            if (parts.Length != 2 || parts[0].TrimEnd('?').Length == 0 || parts[1] is not ("string" or "integer" or "boolean"))
            {
                throw new InvalidOperationException($"Problem extension '{extension}' must be name:string, name:integer or name:boolean (name? when optional).");
            }

            var name = parts[0].TrimEnd('?');
            properties[name] = new JsonObject { ["type"] = parts[1] };
            if (!parts[0].EndsWith('?'))
            {
                required.Add(name);
            }
        }

        return new JsonObject
        {
            ["allOf"] = new JsonArray(problem, new JsonObject
            {
                ["type"] = "object",
                ["properties"] = properties,
                ["required"] = required,
            }),
        };
    }

    private static string TagOf(HttpFunction function)
    {
        var name = function.Method.DeclaringType?.Name ?? function.Name;
        foreach (var suffix in new[] { "Functions", "Function" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && name.Length > suffix.Length)
            {
                return name[..^suffix.Length];
            }
        }

        return name;
    }

    private static JsonObject Sorted(JsonObject components)
    {
        var sorted = new JsonObject();
        foreach (var name in components.Select(c => c.Key).Order(StringComparer.Ordinal).ToList())
        {
            var node = components[name];
            components.Remove(name);
            sorted[name] = node;
        }

        return sorted;
    }

    private sealed record Response(string Description, string? ContentType, JsonNode? Schema, IReadOnlyList<string> Headers)
    {
        public static Response Problem(string description, JsonNode schema, IReadOnlyList<string> headers) =>
            new(description, ProblemJson, schema, headers);

        /// <summary>The function's own answer with the same status, which the pipeline can give for its own reasons too.</summary>
        public Response Also(Response implied) => this with
        {
            Description = Description + " Also: " + implied.Description,
            ContentType = ContentType ?? implied.ContentType,
            Schema = Schema ?? implied.Schema,
            Headers = [.. Headers.Union(implied.Headers)],
        };

        public JsonObject ToJson(IReadOnlyList<string> everyResponse)
        {
            var headers = new JsonObject();
            foreach (var name in Headers.Concat(everyResponse).Distinct(StringComparer.Ordinal))
            {
                headers[name] = OpenApiHeaders.Reference(name);
            }

            var result = new JsonObject { ["description"] = Description, ["headers"] = headers };
            if (ContentType is not null && Schema is not null)
            {
                result["content"] = new JsonObject { [ContentType] = new JsonObject { ["schema"] = Schema.DeepClone() } };
            }

            return result;
        }
    }
}
