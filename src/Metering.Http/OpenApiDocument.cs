using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using Microsoft.AspNetCore.Http;

namespace UsageProcessor.Metering.Http;

/// <summary>The OpenAPI 3.1 document of <see cref="ApiRoutes.All"/>, generated from the route table's types.</summary>
/// <remarks>
/// Schemas come from System.Text.Json's <see cref="JsonSchemaExporter"/> over the same types and options the handlers
/// serialize with; examples are the code blocks of docs/api.md (embedded), so the document and the guide cannot drift.
/// OpenAPI 3.1 because its schemas are JSON Schema 2020-12, which the exporter writes (nullable as a type array).
/// </remarks>
public static class OpenApiDocument
{
    private static readonly Lazy<string> Document = new(() => Build().ToJsonString());

    /// <summary>Handles <c>GET /api/openapi.json</c>.</summary>
    public static IResult Get() => Results.Text(Document.Value, "application/json");

    /// <summary>Builds the document of the product's route table.</summary>
    public static JsonObject Build() => Build(ApiRoutes.All);

    /// <summary>Builds the document of <paramref name="routes"/>.</summary>
    public static JsonObject Build(IReadOnlyList<ApiRoute> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var schemas = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        var paths = new JsonObject();
        foreach (var route in routes)
        {
            if (paths[route.Path] is not JsonObject item)
            {
                item = [];
                paths[route.Path] = item;
            }

            item[route.Method.ToLowerInvariant()] = Operation(route, schemas);
        }

        var webhooks = Alerts.WebhookEventCatalogue.Webhooks(schemas);

        var components = new JsonObject
        {
            ["securitySchemes"] = new JsonObject
            {
                ["functionKey"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = "x-functions-key" },
                ["functionKeyQuery"] = new JsonObject { ["type"] = "apiKey", ["in"] = "query", ["name"] = "code" },
            },
            ["schemas"] = new JsonObject([.. schemas.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value))]),
        };
        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "Usage processor API",
                ["version"] = "1.0.0",
                ["description"] = "Balances, usage, alerts, quotes and rate-limit admission for a credit-priced AI API (100 credits = 1 USD).",
                ["license"] = new JsonObject { ["name"] = "Proprietary", ["identifier"] = "LicenseRef-Proprietary" },
            },
            ["servers"] = new JsonArray(new JsonObject
            {
                ["url"] = "http://127.0.0.1:7071",
                ["description"] = "The self-host (./run.sh) or func start on this machine; in Azure, the Function App's https address.",
            }),
            ["paths"] = paths,
            ["webhooks"] = webhooks,
            ["components"] = components,
        };
    }

    private static JsonObject Operation(ApiRoute route, SortedDictionary<string, JsonNode> schemas)
    {
        var parameters = new JsonArray();
        foreach (var name in route.Parameters)
        {
            parameters.Add(new JsonObject
            {
                ["name"] = name,
                ["in"] = "path",
                ["required"] = true,
                ["schema"] = new JsonObject
                {
                    ["type"] = "string",
                    ["pattern"] = name == "subscriptionId" ? "^sub_[0-9a-f]{24}$" : "^[A-Za-z0-9._-]{1,64}$",
                },
            });
        }

        foreach (var query in route.Query)
        {
            var schema = new JsonObject { ["type"] = query.Type == typeof(int) ? "integer" : "string" };
            if (query.Pattern is { } pattern)
            {
                schema["pattern"] = pattern;
            }

            if (query.Minimum is { } min)
            {
                schema["minimum"] = min;
            }

            if (query.Maximum is { } max)
            {
                schema["maximum"] = max;
            }

            parameters.Add(new JsonObject
            {
                ["name"] = query.Name,
                ["in"] = "query",
                ["required"] = false,
                ["description"] = query.Description,
                ["schema"] = schema,
            });
        }

        var operation = new JsonObject
        {
            ["operationId"] = route.Name,
            ["summary"] = route.Summary,
        };
        if (parameters.Count > 0)
        {
            operation["parameters"] = parameters;
        }

        if (route.Body is { } body)
        {
            var item = Reference(body.Type, schemas);
            // A body that is one item or an array of them is described as either; media listed apart take one form each.
            var media = new JsonObject
            {
                ["schema"] = body.MaxItems is { } maxItems
                    ? body.OtherMedia.Count > 0
                        ? ArrayOf(item, maxItems)
                        : new JsonObject { ["oneOf"] = new JsonArray(item, ArrayOf(item.DeepClone(), maxItems)) }
                    : item,
            };
            var examples = body.Examples ?? [];
            if (examples.Count == 1)
            {
                media["example"] = DocExamples.RequestBody(examples[0]);
            }
            else if (examples.Count > 1)
            {
                media["examples"] = new JsonObject([.. examples.Select((e, i) => KeyValuePair.Create(
                    $"example{i + 1}", (JsonNode?)new JsonObject { ["summary"] = e.Heading, ["value"] = DocExamples.RequestBody(e) }))]);
            }

            var content = new JsonObject { [RouteAnswer.Json] = media };
            foreach (var other in body.OtherMedia)
            {
                JsonNode schema = other.Item is { } type
                    ? other.MaxItems is { } most ? ArrayOf(Reference(type, schemas), most) : Reference(type, schemas)
                    : new JsonObject { ["type"] = "string" };
                if (other.Description is { } description)
                {
                    schema = new JsonObject { ["allOf"] = new JsonArray(schema), ["description"] = description };
                }

                content[other.ContentType] = new JsonObject { ["schema"] = schema };
            }

            operation["requestBody"] = new JsonObject
            {
                ["required"] = body.Required,
                ["content"] = content,
            };
        }

        operation["responses"] = Responses(route, schemas);
        operation["security"] = route.Access == RouteAccess.Anonymous
            ? new JsonArray()
            : new JsonArray(new JsonObject { ["functionKey"] = new JsonArray() }, new JsonObject { ["functionKeyQuery"] = new JsonArray() });
        return operation;
    }

    private static JsonObject ArrayOf(JsonNode item, int maxItems) =>
        new() { ["type"] = "array", ["minItems"] = 1, ["maxItems"] = maxItems, ["items"] = item };

    // Answers with the same status merge into one response: several content types (JSON and CSV), or several
    // bodies of one content type (oneOf), each with its example.
    private static JsonObject Responses(ApiRoute route, SortedDictionary<string, JsonNode> schemas)
    {
        var responses = new JsonObject();
        foreach (var group in ApiRoutes.AnswersOf(route).GroupBy(a => a.Status).OrderBy(g => g.Key))
        {
            var response = new JsonObject { ["description"] = string.Join(" Or: ", group.Select(a => a.Description)) };
            var headers = group.SelectMany(a => a.Headers ?? []).DistinctBy(h => h.Name).ToList();
            if (headers.Count > 0)
            {
                response["headers"] = new JsonObject([.. headers.Select(h => KeyValuePair.Create(h.Name, (JsonNode?)new JsonObject
                {
                    ["description"] = h.Description,
                    ["schema"] = new JsonObject { ["type"] = h.Type == typeof(int) ? "integer" : "string" },
                }))]);
            }

            var content = new JsonObject();
            foreach (var media in group.Where(a => a.ContentType.Length > 0).GroupBy(a => a.ContentType))
            {
                content[media.Key] = MediaType([.. media], schemas);
            }

            if (content.Count > 0)
            {
                response["content"] = content;
            }

            responses[group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = response;
        }

        return responses;
    }

    private static JsonObject MediaType(IReadOnlyList<RouteAnswer> answers, SortedDictionary<string, JsonNode> schemas)
    {
        JsonNode SchemaOf(RouteAnswer a) => a.Body is { } type
            ? Reference(type, schemas)
            : a.ContentType is RouteAnswer.Csv or RouteAnswer.Html ? new JsonObject { ["type"] = "string" } : new JsonObject { ["type"] = "object" };

        var media = new JsonObject
        {
            ["schema"] = answers.Count == 1 ? SchemaOf(answers[0]) : new JsonObject { ["oneOf"] = new JsonArray([.. answers.Select(SchemaOf)]) },
        };
        var examples = answers.Where(a => a.Example is not null).ToList();
        if (examples.Count == 1)
        {
            media["example"] = DocExamples.Get(examples[0].Example!);
        }
        else if (examples.Count > 1)
        {
            media["examples"] = new JsonObject([.. examples.Select(a => KeyValuePair.Create(
                a.Body?.Name ?? a.ContentType, (JsonNode?)new JsonObject { ["summary"] = a.Description, ["value"] = DocExamples.Get(a.Example!) }))]);
        }

        return media;
    }

    private static JsonObject Reference(Type type, SortedDictionary<string, JsonNode> schemas)
    {
        if (!schemas.ContainsKey(type.Name))
        {
            schemas[type.Name] = SchemaOf(type);
        }

        return new JsonObject { ["$ref"] = $"#/components/schemas/{type.Name}" };
    }

    /// <summary>The JSON Schema of <paramref name="type"/> as <see cref="ApiJson.Options"/> write it.</summary>
    public static JsonNode SchemaOf(Type type) => SchemaOf(type, ApiJson.Options);

    /// <summary>The JSON Schema of <paramref name="type"/> as <paramref name="options"/> write it (an outgoing event's own options).</summary>
    public static JsonNode SchemaOf(Type type, System.Text.Json.JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(options);
        return options.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions
        {
            // A body is never null itself; members say where they may be null.
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = static (context, node) =>
            {
                // ExactDecimalJsonConverter writes JSON numbers; the exporter cannot see through a custom converter.
                var clr = context.TypeInfo.Type;
                if (clr == typeof(decimal) || Nullable.GetUnderlyingType(clr) == typeof(decimal))
                {
                    var nullable = clr != typeof(decimal) || IsNullableMember(context);
                    node = new JsonObject { ["type"] = nullable ? new JsonArray("number", "null") : "number" };
                }

                // The web defaults also read numbers from strings; answers always write them as numbers.
                if (node is JsonObject { } number && number["type"] is JsonArray numberTypes
                    && numberTypes.Any(t => t?.GetValue<string>() == "string") && numberTypes.Any(t => t?.GetValue<string>() is "integer" or "number"))
                {
                    var kept = numberTypes.Select(t => t!.GetValue<string>()).Where(t => t != "string").ToArray();
                    number["type"] = kept.Length == 1 ? kept[0] : new JsonArray([.. kept.Select(t => (JsonNode?)t)]);
                    number.Remove("pattern");
                }

                if (typeof(IReadOnlyDictionary<string, decimal>).IsAssignableFrom(clr) && node is JsonObject map)
                {
                    map["additionalProperties"] = new JsonObject { ["type"] = "number" };
                }

                if (node is JsonObject obj && obj["properties"] is JsonObject properties && context.PropertyInfo is null && obj["required"] is null)
                {
                    // Every member is always written (nulls too); those that cannot be null are required.
                    var required = properties.Where(p => !AllowsNull(p.Value)).Select(p => (JsonNode?)p.Key).ToArray();
                    if (required.Length > 0)
                    {
                        obj["required"] = new JsonArray(required);
                    }
                }

                return node;
            },
        });
    }

    private static bool IsNullableMember(JsonSchemaExporterContext context) =>
        context.PropertyInfo is { } p && (p.IsGetNullable || Nullable.GetUnderlyingType(p.PropertyType) is not null);

    private static bool AllowsNull(JsonNode? schema) =>
        schema is JsonObject { } s && s["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null");
}
