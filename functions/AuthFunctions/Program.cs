using Microsoft.Extensions.Hosting;
using Shop.Auth;
using Shop.Shared.Hosting;

var builder = ShopApplication.CreateBuilder(args, AuthRegistration.AddAuth);
if (AdminCommand.IsRequested(args))
{
    builder.Configuration.AddLocalSettingsValues(Directory.GetCurrentDirectory());
}

using var host = builder.Build();
if (await AdminCommand.TryRunAsync(args, host.Services))
{
    return;
}

await host.RunAsync();
