using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace UsageProcessor.Metering.Api;

/// <summary>The OpenAPI 3 document of <see cref="ApiRoutes.All"/>, built from the same route table the hosts serve.</summary>
public static partial class OpenApiDocument
{
    private static readonly Lazy<string> Document = new(() => Build().ToJsonString());

    /// <summary>Handles <c>GET /api/openapi.json</c>.</summary>
    public static IResult Get() => Results.Text(Document.Value, "application/json");

    /// <summary>Builds the document.</summary>
    public static JsonObject Build()
    {
        var paths = new JsonObject();
        foreach (var route in ApiRoutes.All)
        {
            var path = $"/{ApiRoutes.Prefix}/{route.Template}";
            if (paths[path] is not JsonObject item)
            {
                item = [];
                paths[path] = item;
            }

            item[route.Method.ToLowerInvariant()] = Operation(route);
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject
            {
                ["title"] = "Usage processor API",
                ["version"] = "1.0.0",
                ["description"] = "Balances, usage, alerts, quotes and rate-limit admission for a credit-priced AI API (100 credits = 1 USD).",
            },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject
                {
                    ["functionKey"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = "x-functions-key" },
                    ["functionKeyQuery"] = new JsonObject { ["type"] = "apiKey", ["in"] = "query", ["name"] = "code" },
                },
                ["schemas"] = new JsonObject
                {
                    ["Problem"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["description"] = "RFC 7807 problem details; 'errors' maps each bad field to its reasons.",
                        ["properties"] = new JsonObject
                        {
                            ["type"] = new JsonObject { ["type"] = "string" },
                            ["title"] = new JsonObject { ["type"] = "string" },
                            ["status"] = new JsonObject { ["type"] = "integer" },
                            ["detail"] = new JsonObject { ["type"] = "string" },
                            ["errors"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } } },
                        },
                    },
                },
            },
        };
    }

    private static JsonObject Operation(ApiRoute route)
    {
        var parameters = new JsonArray();
        foreach (Match match in PathParameter().Matches(route.Template))
        {
            parameters.Add(new JsonObject
            {
                ["name"] = match.Groups[1].Value,
                ["in"] = "path",
                ["required"] = true,
                ["schema"] = new JsonObject { ["type"] = "string", ["pattern"] = "^[A-Za-z0-9._-]{1,64}$" },
            });
        }

        foreach (var query in QueryParametersOf(route))
        {
            parameters.Add(new JsonObject { ["name"] = query, ["in"] = "query", ["required"] = false, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        var operation = new JsonObject
        {
            ["operationId"] = route.Name,
            ["summary"] = route.Summary,
            ["parameters"] = parameters,
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject { ["description"] = "Success." },
                ["400"] = Problem("Invalid input; each bad field is named."),
                ["404"] = Problem("Not found."),
            },
        };
        if (route.Method is "POST" or "PUT")
        {
            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } } },
            };
        }

        operation["security"] = route.Access == RouteAccess.Anonymous
            ? new JsonArray()
            : new JsonArray(new JsonObject { ["functionKey"] = new JsonArray() }, new JsonObject { ["functionKeyQuery"] = new JsonArray() });
        return operation;
    }

    private static string[] QueryParametersOf(ApiRoute route) => route.Template switch
    {
        ApiRoutes.Balance or ApiRoutes.Alerts => ["period"],
        ApiRoutes.Usage => ["period", "limit", "cursor"],
        _ => [],
    };

    private static JsonObject Problem(string description) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject
        {
            ["application/problem+json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/Problem" } },
        },
    };

    [GeneratedRegex(@"\{([A-Za-z]+)\}")]
    private static partial Regex PathParameter();
}
