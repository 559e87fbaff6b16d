namespace Shop.Shared.OpenApi;

/// <summary>Who may call an operation, beyond the function key its [HttpTrigger] level asks for.</summary>
public enum OpenApiCaller
{
    /// <summary>Whoever reaches it: the function key alone, or nobody at all on an anonymous function.</summary>
    Anyone,

    /// <summary>A valid bearer access token (<c>RequireCallerAsync</c>): 401 without one.</summary>
    User,

    /// <summary>A valid bearer access token with the admin role (<c>RequireAdminAsync</c>): 401 without one, 403 without the role.</summary>
    Admin,

    /// <summary>The internal service key in x-internal-key (<c>RequireInternalCaller</c>): 401 without it.</summary>
    InternalService,
}

public enum OpenApiParameterLocation
{
    Query,
    Header,
}

/// <summary>Describes an HTTP function in its app's OpenAPI document; every HTTP function must carry one.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OpenApiOperationAttribute(string summary) : Attribute
{
    public string Summary { get; } = summary;

    public string? Description { get; set; }

    public OpenApiCaller Caller { get; set; }
}

/// <summary>The JSON body the function reads with <c>JsonBody.ReadAsync&lt;T&gt;</c>; implies its 400, 413 and 415.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OpenApiRequestBodyAttribute(Type type) : Attribute
{
    public Type Type { get; } = type;
}

/// <summary>A query or header parameter the function reads; route parameters come from the route template.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class OpenApiParameterAttribute(string name, OpenApiParameterLocation location, string description) : Attribute
{
    public string Name { get; } = name;

    public OpenApiParameterLocation Location { get; } = location;

    public string Description { get; } = description;

    public bool Required { get; set; }

    /// <summary>The JSON Schema type of the value: string, integer or boolean.</summary>
    public string Type { get; set; } = "string";
}

/// <summary>A success (or other non-problem) answer: its status, body type (none for an empty body) and headers.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class OpenApiResponseAttribute(int status, string description) : Attribute
{
    public int Status { get; } = status;

    public string Description { get; } = description;

    public Type? Body { get; set; }

    /// <summary>Names from <see cref="OpenApiHeaders"/>.</summary>
    public string[] Headers { get; set; } = [];
}

/// <summary>An application/problem+json answer the function itself gives (the pipeline's own are implied).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class OpenApiProblemAttribute(int status, string description) : Attribute
{
    public int Status { get; } = status;

    public string Description { get; } = description;

    /// <summary>
    /// Extension members as <c>name:type</c> (string, integer or boolean), e.g. <c>currentVersion:integer</c>;
    /// <c>name?:type</c> when only some answers of this status carry it.
    /// </summary>
    public string[] Extensions { get; set; } = [];

    /// <summary>Names from <see cref="OpenApiHeaders"/>.</summary>
    public string[] Headers { get; set; } = [];
}
