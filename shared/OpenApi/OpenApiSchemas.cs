using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Shop.Shared.Json;

namespace Shop.Shared.OpenApi;

/// <summary>
/// JSON Schemas of the DTOs, exported by System.Text.Json from the apps' own serializer options (so names, enums and
/// nullability are what goes over the wire) and completed with the DTOs' validation attributes. Every object type becomes
/// a component referenced by name.
/// </summary>
internal sealed class OpenApiSchemas
{
    private readonly JsonObject _components = [];
    private readonly Dictionary<Type, string> _names = [];
    private bool _request;

    public JsonObject Components => _components;

    /// <summary>
    /// A schema for the type: a reference for object types, the schema itself otherwise. Request bodies keep
    /// <c>additionalProperties: false</c> (JsonBody refuses unknown fields); answers do not promise it, so adding a
    /// field to an answer stays compatible.
    /// </summary>
    public JsonNode For(Type type, bool request = false)
    {
        var outer = _request;
        _request = request || outer;
        try
        {
            return Describe(type);
        }
        finally
        {
            _request = outer;
        }
    }

    private JsonNode Describe(Type type)
    {
        var info = ShopJson.Options.GetTypeInfo(type);
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return Export(type);
        }

        if (!_names.TryGetValue(type, out var name))
        {
            name = type.Name;
            if (_names.ContainsValue(name))
            {
                throw new InvalidOperationException($"Two schema types are named {name}: {type.FullName} and {_names.First(n => n.Value == name).Key.FullName}.");
            }

            _names[type] = name;
            _components[name] = Export(type);
        }

        return new JsonObject { ["$ref"] = "#/components/schemas/" + name };
    }

    private JsonNode Export(Type type) =>
        ShopJson.Options.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = Transform,
        });

    private JsonNode Transform(JsonSchemaExporterContext context, JsonNode node)
    {
        if (node is not JsonObject schema)
        {
            return node;
        }

        if (context.TypeInfo.Kind == JsonTypeInfoKind.Object && context.TypeInfo.Type != typeof(object))
        {
            AddRequiredFromAttributes(context.TypeInfo, schema);
            if (!_request && ShopJson.Options.DefaultIgnoreCondition == JsonIgnoreCondition.WhenWritingNull)
            {
                OmitNullableFromRequired(schema);
            }

            var extensible = context.TypeInfo.Type.GetProperties().Any(p => p.IsDefined(typeof(JsonExtensionDataAttribute)));
            if ((!_request || extensible) && schema["additionalProperties"] is JsonValue closed && closed.GetValueKind() == JsonValueKind.False)
            {
                schema.Remove("additionalProperties");
            }

            if (!context.Path.IsEmpty)
            {
                // A nested object: its own component, so each DTO is described once.
                var reference = (JsonObject)For(context.TypeInfo.Type);
                schema = IsNullable(schema) ? new JsonObject { ["anyOf"] = new JsonArray(reference, new JsonObject { ["type"] = "null" }) } : reference;
            }
        }

        if (context.PropertyInfo?.AttributeProvider is ICustomAttributeProvider attributes)
        {
            ApplyValidation(attributes, schema);
        }

        return schema;
    }

    private static void AddRequiredFromAttributes(JsonTypeInfo info, JsonObject schema)
    {
        var required = info.Properties
            .Where(p => p.AttributeProvider?.IsDefined(typeof(RequiredAttribute), inherit: true) == true)
            .Select(p => p.Name)
            .ToList();
        if (required.Count == 0)
        {
            return;
        }

        var existing = schema["required"] as JsonArray ?? [];
        foreach (var name in required.Where(name => !existing.Any(e => e?.GetValue<string>() == name)))
        {
            existing.Add(name);
        }

        schema["required"] = existing;
    }

    /// <summary>Answers are written with WhenWritingNull: a member that can be null is left out, not sent as null.</summary>
    private static void OmitNullableFromRequired(JsonObject schema)
    {
        if (schema["required"] is not JsonArray required || schema["properties"] is not JsonObject properties)
        {
            return;
        }

        foreach (var name in required.Select(r => r!.GetValue<string>()).ToList())
        {
            if (properties[name] is JsonObject property && (IsNullable(property) || property["anyOf"] is JsonArray options && options.Any(o => o is JsonObject option && IsNullable(option))))
            {
                required.Remove(required.First(r => r!.GetValue<string>() == name));
            }
        }
    }

    private static void ApplyValidation(ICustomAttributeProvider attributes, JsonObject schema)
    {
        var isArray = HasType(schema, "array");
        foreach (var attribute in attributes.GetCustomAttributes(inherit: true))
        {
            switch (attribute)
            {
                case RequiredAttribute:
                    // JsonBody refuses null for a required field, so null is not part of the contract.
                    RemoveNull(schema);
                    break;
                case StringLengthAttribute length:
                    schema["maxLength"] = length.MaximumLength;
                    if (length.MinimumLength > 0)
                    {
                        schema["minLength"] = length.MinimumLength;
                    }

                    break;
                case MinLengthAttribute min:
                    schema[isArray ? "minItems" : "minLength"] = min.Length;
                    break;
                case MaxLengthAttribute max:
                    schema[isArray ? "maxItems" : "maxLength"] = max.Length;
                    break;
                case RangeAttribute range:
                    schema["minimum"] = JsonValue.Create(Convert.ToInt64(range.Minimum, System.Globalization.CultureInfo.InvariantCulture));
                    schema["maximum"] = JsonValue.Create(Convert.ToInt64(range.Maximum, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case RegularExpressionAttribute pattern:
                    schema["pattern"] = pattern.Pattern;
                    break;
            }
        }
    }

    private static bool IsNullable(JsonObject schema) => HasType(schema, "null");

    private static bool HasType(JsonObject schema, string type) => schema["type"] switch
    {
        JsonArray types => types.Any(t => t?.GetValue<string>() == type),
        JsonValue single => single.GetValue<string>() == type,
        _ => false,
    };

    private static void RemoveNull(JsonObject schema)
    {
        if (schema["type"] is JsonArray types)
        {
            var remaining = types.Select(t => t!.GetValue<string>()).Where(t => t != "null").ToList();
            schema["type"] = remaining.Count == 1 ? remaining[0] : new JsonArray([.. remaining.Select(t => (JsonNode)t)]);
        }

        if (schema["anyOf"] is JsonArray anyOf && anyOf.FirstOrDefault(s => s?["type"]?.GetValue<string>() == "null") is { } nullOption)
        {
            anyOf.Remove(nullOption);
            if (anyOf.Count == 1 && anyOf[0] is JsonObject only)
            {
                schema.Remove("anyOf");
                foreach (var (key, value) in only.ToList())
                {
                    schema[key] = value?.DeepClone();
                }
            }
        }
    }
}
