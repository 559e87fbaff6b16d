// Sample catalog for the compose stack, run by the one-shot `seed-products` job with mongosh against the Products
// database (Mongo__Database of the products service). Idempotent: each product is inserted only if its _id is absent
// ($setOnInsert), so restarts never overwrite edits or stock movements made through the API.
// The documents have the shape of functions/ProductFunctions/Catalog/Product.cs (camelCase element names, money as
// long minor units, stock as int, version starting at 1, ids of 32 lower-case hex characters);
// scripts/validate-deployment.sh checks that the field names still match that record.
const now = new Date();
const products = [
  { _id: "5e6d0c1a7b2f4c3d8e9fa0b1c2d3e4f5", sku: "KET-1", name: "Kettle", description: "1.7 l, stainless steel",
    category: "kitchen", price: 2999, currency: "EUR", stock: 25 },
  { _id: "7a1b2c3d4e5f60718293a4b5c6d7e8f9", sku: "MUG-2", name: "Mug", description: "Stoneware, 350 ml",
    category: "kitchen", price: 899, currency: "EUR", stock: 120 },
  { _id: "0f1e2d3c4b5a69788796a5b4c3d2e1f0", sku: "LAMP-3", name: "Desk lamp", description: "LED, dimmable",
    category: "office", price: 4599, currency: "EUR", stock: 15 },
  { _id: "9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a49", sku: "NOTE-4", name: "Notebook", description: "A5, dotted, 120 pages",
    category: "office", price: 1250, currency: "EUR", stock: 200 },
];

let inserted = 0;
for (const p of products) {
  const result = db.getCollection("products").updateOne(
    { _id: p._id },
    {
      $setOnInsert: {
        sku: p.sku,
        name: p.name,
        description: p.description,
        category: p.category,
        price: NumberLong(p.price),
        currency: p.currency,
        stock: NumberInt(p.stock),
        version: NumberLong(1),
        createdAt: now,
        updatedAt: now,
        reservedFor: {},
      },
    },
    { upsert: true });
  inserted += result.upsertedCount;
}
print(`seed-products: ${inserted} inserted, ${products.length - inserted} already present (database ${db.getName()})`);
