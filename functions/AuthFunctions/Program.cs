using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Shop.Auth;
using Shop.Shared.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.AddShopDefaults();
builder.Services.AddAuth(builder.Configuration);

using var host = builder.Build();
if (await AdminCommand.TryRunAsync(args, host.Services))
{
    return;
}

await host.RunAsync();
