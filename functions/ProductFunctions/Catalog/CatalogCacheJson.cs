using System.Text.Json.Serialization;

namespace Shop.Products.Catalog;

/// <summary>
/// Source-generated JSON for what the catalog caches. Default naming on purpose: the bytes are those HybridCache's
/// reflection serializer wrote before, so entries already in Redis still read during a rolling deploy.
/// </summary>
[JsonSerializable(typeof(ProductView))]
[JsonSerializable(typeof(ProductPage))]
internal sealed partial class CatalogCacheJson : JsonSerializerContext;
