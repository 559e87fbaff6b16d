using Microsoft.Extensions.Hosting;
using Shop.Products;
using Shop.Shared.Hosting;

ShopApplication.CreateBuilder(args, ProductRegistration.AddProducts).Build().Run();
