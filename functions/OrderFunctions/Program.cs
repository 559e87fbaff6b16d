using Microsoft.Extensions.Hosting;
using Shop.Orders;
using Shop.Orders.Notifications;
using Shop.Shared.Hosting;

if (NotificationsRole.IsSelected(args))
{
    await NotificationsRole.RunAsync(args);
    return;
}

await ShopApplication.CreateBuilder(args, OrderRegistration.AddOrders).Build().RunAsync();
