using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
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
    /// <summary>The base address the built document names when it is not served (the self-host's default).</summary>
    public const string DefaultServer = "http://127.0.0.1:7071";

    /// <summary>The pattern of a billing period, YYYY-MM.</summary>
    public const string PeriodPattern = "^[0-9]{4}-(0[1-9]|1[0-2])$";

    private static readonly Lazy<JsonObject> Document = new(() => Build());

    /// <summary>Handles <c>GET /api/openapi.json</c>: the document whose server is the address it was asked at.</summary>
    /// <remarks>A generated client fetched from a deployment then calls that deployment without being told its address.</remarks>
    public static IResult Get(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var document = Document.Value.DeepClone().AsObject();
        document["servers"]![0]!["url"] = $"{request.Scheme}://{request.Host}{request.PathBase}";
        return Results.Text(document.ToJsonString(), "application/json");
    }

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

        foreach (var route in routes.Where(r => r.Body is { Required: false }))
        {
            OptionalBody(schemas[route.Body!.Type.Name].AsObject());
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
            // The served document names the address it was fetched from instead (Get), so tools and generated clients
            // reach the deployment they read it from.
            ["servers"] = new JsonArray(new JsonObject
            {
                ["url"] = DefaultServer,
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
                    ["pattern"] = name switch
                    {
                        "subscriptionId" => "^sub_[0-9a-f]{24}$",
                        "period" => PeriodPattern,
                        _ => "^[A-Za-z0-9._-]{1,64}$",
                    },
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
                        : new JsonObject { ["oneOf"] = new JsonArray(item, ListOf(body.Type, item, maxItems, schemas)) }
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

    // A route whose body is optional also takes an empty object as no body (a generated client always sends one), so
    // its fields are required only once any is sent.
    private static void OptionalBody(JsonObject schema)
    {
        if (schema["required"] is not JsonArray required)
        {
            return;
        }

        schema.Remove("required");
        schema["dependentRequired"] = new JsonObject([.. schema["properties"]!.AsObject().Select(p =>
            KeyValuePair.Create(p.Key, (JsonNode?)new JsonArray([.. required.Where(r => r!.GetValue<string>() != p.Key).Select(r => r!.DeepClone())])))]);
        schema["description"] = "Send no body, or an empty object, to only count the request; any field makes "
            + string.Join(" and ", required.Select(r => r!.GetValue<string>())) + " required.";
    }

    // The array form of a one-or-many body as a component of its own: Kiota makes an empty class of an array's items
    // when the array is written inline in a oneOf.
    private static JsonObject ListOf(Type type, JsonNode item, int maxItems, SortedDictionary<string, JsonNode> schemas)
    {
        var name = type.Name + "List";
        schemas[name] = ArrayOf(item.DeepClone(), maxItems);
        return new JsonObject { ["$ref"] = $"#/components/schemas/{name}" };
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
            ["schema"] = answers.Count == 1 ? SchemaOf(answers[0]) : Union(answers, [.. answers.Select(SchemaOf)], schemas),
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

    // Several bodies of one media type: a member holding one word in each (OpenApiValuesAttribute) tells them apart, so
    // generators can pick the class from the answer.
    private static JsonObject Union(IReadOnlyList<RouteAnswer> answers, JsonNode[] members, SortedDictionary<string, JsonNode> schemas)
    {
        var union = new JsonObject { ["oneOf"] = new JsonArray(members) };
        if (answers.Any(a => a.Body is null))
        {
            return union;
        }

        var words = answers.Select(a => schemas[a.Body!.Name]["properties"]!.AsObject()
            .Where(p => p.Value is JsonObject { } member && member["enum"] is JsonArray { Count: 1 })
            .ToDictionary(p => p.Key, p => p.Value!["enum"]![0]!.GetValue<string>())).ToList();
        if (words[0].Keys.FirstOrDefault(k => words.All(w => w.ContainsKey(k))) is { } property)
        {
            union["discriminator"] = new JsonObject
            {
                ["propertyName"] = property,
                ["mapping"] = new JsonObject([.. answers.Select((a, i) =>
                    KeyValuePair.Create(words[i][property], (JsonNode?)$"#/components/schemas/{a.Body!.Name}"))]),
            };
        }

        return union;
    }

    private static JsonObject Reference(Type type, SortedDictionary<string, JsonNode> schemas)
    {
        Register(type, schemas);
        return new JsonObject { ["$ref"] = $"#/components/schemas/{type.Name}" };
    }

    private static void Register(Type type, SortedDictionary<string, JsonNode> schemas)
    {
        if (!schemas.ContainsKey(type.Name))
        {
            // A placeholder first: a type reached again while its own schema is built is referenced, not rebuilt.
            schemas[type.Name] = new JsonObject();
            schemas[type.Name] = SchemaOf(type, schemas);
        }
    }

    /// <summary>The JSON Schema of <paramref name="type"/> as <see cref="ApiJson.Options"/> write it.</summary>
    /// <remarks>The product's own types inside it are references to <c>#/components/schemas</c>.</remarks>
    public static JsonNode SchemaOf(Type type) => SchemaOf(type, ApiJson.Options, new SortedDictionary<string, JsonNode>(StringComparer.Ordinal));

    /// <summary>The JSON Schema of <paramref name="type"/> as <paramref name="options"/> write it (an outgoing event's own options), whole: nested types inline.</summary>
    public static JsonNode SchemaOf(Type type, System.Text.Json.JsonSerializerOptions options) => SchemaOf(type, options, null);

    // With schemas, the product's own types nested in it become components there; without, they stay inline.
    private static JsonNode SchemaOf(Type type, SortedDictionary<string, JsonNode> schemas) => SchemaOf(type, ApiJson.Options, schemas);

    private static JsonNode SchemaOf(Type type, System.Text.Json.JsonSerializerOptions options, SortedDictionary<string, JsonNode>? schemas)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(options);
        return options.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions
        {
            // A body is never null itself; members say where they may be null.
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) =>
            {
                // The web defaults also read numbers from strings; answers always write them as numbers.
                if (node is JsonObject { } number && number["type"] is JsonArray numberTypes
                    && numberTypes.Any(t => t?.GetValue<string>() == "string") && numberTypes.Any(t => t?.GetValue<string>() is "integer" or "number"))
                {
                    var kept = numberTypes.Select(t => t!.GetValue<string>()).Where(t => t != "string").ToArray();
                    number["type"] = kept.Length == 1 ? kept[0] : new JsonArray([.. kept.Select(t => (JsonNode?)t)]);
                    number.Remove("pattern");
                }

                if (context.TypeInfo.Kind == JsonTypeInfoKind.Object && node is JsonObject obj && obj["properties"] is JsonObject properties)
                {
                    var optional = Members(context.TypeInfo, properties);
                    obj.Remove("required");
                    // Members that may be null, or are left out when null, need not be sent nor are always answered.
                    var required = context.TypeInfo.Properties.Where(p => properties[p.Name] is not null && !optional.Contains(p.Name))
                        .Select(p => (JsonNode?)p.Name).ToArray();
                    if (required.Length > 0)
                    {
                        obj["required"] = new JsonArray(required);
                    }

                    // The product's own types inside another are components, so a generator makes one class of each.
                    if (schemas is not null && context.Path.Length > 0 && context.TypeInfo.Type.Namespace?.StartsWith("UsageProcessor", StringComparison.Ordinal) == true)
                    {
                        Register(context.TypeInfo.Type, schemas);
                        var reference = new JsonObject { ["$ref"] = $"#/components/schemas/{context.TypeInfo.Type.Name}" };
                        return AllowsNull(obj) ? new JsonObject { ["anyOf"] = new JsonArray(reference, new JsonObject { ["type"] = "null" }) } : reference;
                    }
                }

                return node;
            },
        });
    }

    // Money and other decimals as exact numbers, and the words a string member can hold. Returns the members that are
    // optional: those that may be null or are left out when null.
    private static HashSet<string> Members(JsonTypeInfo type, JsonObject properties)
    {
        var optional = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in type.Properties)
        {
            // The exporter writes true (any value) for members it cannot see through, such as decimals.
            if (properties[member.Name] is not { } node)
            {
                continue;
            }

            var schema = node as JsonObject ?? [];

            // A constructor's default is how the server fills a member left out, not part of the contract; and
            // openapi-typescript makes a member with a default required.
            schema.Remove("default");

            var nullable = member.IsGetNullable || Nullable.GetUnderlyingType(member.PropertyType) is not null;
            if (ExactNumber(member.PropertyType, nullable) is { } exact)
            {
                if (schema["description"] is { } description)
                {
                    exact["description"] = description.DeepClone();
                }

                schema = exact;
            }

            if (!ReferenceEquals(schema, node))
            {
                properties[member.Name] = schema;
            }

            if (member.AttributeProvider?.GetCustomAttributes(typeof(OpenApiValuesAttribute), false) is [OpenApiValuesAttribute values, ..])
            {
                // An absent member stands for null: listing null among the words would give generated enums a null member.
                var words = new JsonArray([.. values.Words().Select(w => (JsonNode?)w)]);
                schema["type"] = "string";
                schema["enum"] = words;
                if (words.Count == 1)
                {
                    // One word is a constant that is always written, such as a union's discriminator.
                    continue;
                }
            }

            if (AllowsNull(schema) || schema["enum"] is not null && member.IsGetNullable
                || member.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), false).Length > 0)
            {
                optional.Add(member.Name);
            }
        }

        return optional;
    }

    /// <summary>
    /// The schema of a decimal (or a list or map of them): <c>number</c> with <c>format: decimal</c>, which Kiota and
    /// NSwag map to <see cref="decimal"/> rather than <see cref="double"/>. ExactDecimalJsonConverter writes plain JSON
    /// numbers, which the schema exporter cannot see through (it left nullable ones with no type at all).
    /// </summary>
    private static JsonObject? ExactNumber(Type type, bool nullable)
    {
        JsonObject Exact(bool orNull) => new()
        {
            ["type"] = orNull ? new JsonArray("number", "null") : "number",
            ["format"] = "decimal",
        };

        if (type == typeof(decimal) || Nullable.GetUnderlyingType(type) == typeof(decimal))
        {
            return Exact(nullable);
        }

        if (typeof(IReadOnlyDictionary<string, decimal>).IsAssignableFrom(type))
        {
            return new JsonObject { ["type"] = nullable ? new JsonArray("object", "null") : "object", ["additionalProperties"] = Exact(false) };
        }

        return typeof(IEnumerable<decimal>).IsAssignableFrom(type)
            ? new JsonObject { ["type"] = nullable ? new JsonArray("array", "null") : "array", ["items"] = Exact(false) }
            : null;
    }

    private static bool AllowsNull(JsonNode? schema) =>
        schema is JsonObject { } s && s["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null");
}
