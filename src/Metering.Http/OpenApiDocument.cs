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
            var name = match.Groups[1].Value;
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

        foreach (var query in QueryParametersOf(route))
        {
            parameters.Add(new JsonObject { ["name"] = query, ["in"] = "query", ["required"] = false, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        var operation = new JsonObject
        {
            ["operationId"] = route.Name,
            ["summary"] = route.Summary,
            ["parameters"] = parameters,
            ["responses"] = Responses(route),
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

    private static JsonObject Responses(ApiRoute route)
    {
        var responses = new JsonObject();
        foreach (var status in StatusesOf(route))
        {
            responses[status] = status switch
            {
                "200" => new JsonObject { ["description"] = "Success." },
                "201" => new JsonObject { ["description"] = "Created." },
                "204" => new JsonObject { ["description"] = "Deleted." },
                "400" => Problem("Invalid input; each bad field is named."),
                "401" => Problem("A function key is missing or wrong."),
                "402" => Problem("A starter account without credits."),
                "404" => Problem("The account or resource does not exist."),
                "409" => Problem("Conflicts with an earlier request."),
                "429" => Problem("The plan's rate limit is reached; see Retry-After."),
                _ => Problem("Storage does not answer; the body names which."),
            };
        }

        return responses;
    }

    private static string[] StatusesOf(ApiRoute route)
    {
        string[] statuses = route.Name switch
        {
            "QuoteJobs" => ["200", "400"],
            "PutAccount" => ["200", "201", "400"],
            "AddCredits" => ["200", "400", "404", "409"],
            "AdmitRequest" => ["200", "400", "402", "404", "429"],
            "CreateAlertSubscription" => ["201", "400", "404", "409"],
            "DeleteAlertSubscription" => ["204", "400", "404"],
            "Health" => ["200", "503"],
            "OpenApiDocument" => ["200"],
            _ => ["200", "400", "404"],
        };
        return route.Access == RouteAccess.FunctionKey ? [.. statuses, "401"] : statuses;
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
