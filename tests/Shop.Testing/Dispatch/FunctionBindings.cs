namespace Shop.Testing.Dispatch;

/// <summary>
/// Values for function parameters that are neither the request nor a route value, by type: what the worker's input
/// bindings supply (OrderFunctions' [DurableClient] DurableTaskClient). Empty for apps without such parameters.
/// </summary>
public sealed class FunctionBindings
{
    private readonly Dictionary<Type, object> _values = [];

    public static FunctionBindings None => new();

    public FunctionBindings With<T>(T value)
        where T : notnull
    {
        _values[typeof(T)] = value;
        return this;
    }

    public object? Resolve(Type type) => _values.GetValueOrDefault(type);
}
