using Microsoft.AspNetCore.Routing;

namespace Shop.Testing.Dispatch;

/// <summary>What the route table says about METHOD + path: a function with its route values, or why there is none.</summary>
public abstract record RouteMatch
{
    private RouteMatch()
    {
    }

    public sealed record Found(HttpFunction Function, RouteValueDictionary Values) : RouteMatch;

    /// <summary>No template matches the path: the host answers a plain 404.</summary>
    public sealed record NotFound : RouteMatch;

    /// <summary>A template matches but not for this method: 405 with the methods that would be accepted.</summary>
    public sealed record MethodNotAllowed(IReadOnlyList<string> Allowed) : RouteMatch;
}
