using System.ComponentModel;

namespace Shop.Products.Catalog;

[ImmutableObject(true)]
public sealed record ProductPage(IReadOnlyList<ProductView> Items, int Page, int PageSize, long Total);
