using Shop.Testing.Dispatch;

namespace Shop.Testing.Gateway;

/// <summary>One app behind the gateway: its short name (auth, products, orders), its functions and its keys.</summary>
public sealed record GatewayApp(string Name, FunctionDispatcher Functions, FunctionKeys Keys);
