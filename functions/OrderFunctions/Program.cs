using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Shop.Orders;
using Shop.Orders.Notifications;
using Shop.Shared.Hosting;

if (NotificationsRole.IsSelected(args))
{
    await NotificationsRole.RunAsync(args);
    return;
}

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.AddShopDefaults();
builder.Services.AddOrders(builder.Configuration);
await builder.Build().RunAsync();
