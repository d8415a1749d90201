using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using UsageProcessor.Metering.Http;

namespace UsageProcessor.Metering.Tests.Infrastructure;

/// <summary>Checks a JSON body against a schema of the OpenAPI document, with its components, as a JSON Schema 2020-12 validator does.</summary>
/// <remarks>
/// The document's schemas are JSON Schema 2020-12 (OpenAPI 3.1); references to <c>#/components/schemas</c> become
/// <c>#/$defs</c> of one schema. Keywords only OpenAPI knows (discriminator, example) are annotations to a validator.
/// Every object schema is closed here (no member it does not list), so an answer cannot carry a member the document
/// leaves out; the document itself stays open, so that clients keep working when members are added.
/// </remarks>
public static class DocumentSchemas
{
    private static readonly JsonObject Components = Closed(OpenApiDocument.Build()["components"]!["schemas"]!.AsObject());

    private static JsonObject Closed(JsonObject schemas)
    {
        var closed = schemas.DeepClone().AsObject();
        foreach (var node in closed.Select(s => s.Value).Where(v => v is not null).ToList())
        {
            Close(node!);
        }

        return closed;
    }

    private static void Close(JsonNode node)
    {
        if (node is JsonObject obj)
        {
            if (obj["properties"] is JsonObject && obj["additionalProperties"] is null)
            {
                obj["unevaluatedProperties"] = false;
            }

            foreach (var child in obj.Select(p => p.Value).Where(v => v is not null).ToList())
            {
                Close(child!);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var child in array.Where(v => v is not null).ToList())
            {
                Close(child!);
            }
        }
    }

    /// <summary>Where <paramref name="body"/> breaks <paramref name="schema"/>, one line each; empty when it conforms.</summary>
    public static IReadOnlyList<string> Check(JsonNode schema, string body)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"https://usage-processor.test/{Guid.NewGuid():N}",
            ["$defs"] = Components.DeepClone(),
            ["allOf"] = new JsonArray(schema.DeepClone()),
        };
        var text = root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        var compiled = JsonSchema.FromText(text);
        using var document = JsonDocument.Parse(body);
        var results = compiled.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid
            ? []
            : [.. (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value} (schema {d.EvaluationPath})"))];
    }
}
