using Shop.Testing.Gateway;

return await GatewayProgram.RunAsync(args);
