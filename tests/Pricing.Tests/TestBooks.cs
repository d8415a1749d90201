using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace UsageProcessor.Pricing.Tests;

/// <summary>Price books and helpers shared by the pricing tests.</summary>
internal static class TestBooks
{
    /// <summary>The book shipped in the assembly, loaded once.</summary>
    public static PriceBook Embedded { get; } = PriceBook.LoadEmbedded();

    /// <summary>A book with two generic agents, written here because the shipped book defines none.</summary>
    public const string AgentBookJson = """
        {
          "id": "test-agents",
          "effectiveFrom": "2026-11-01T00:00:00Z",
          "segment": { "seconds": 300, "minimumSegments": 2 },
          "families": {
            "document": { "unit": "page", "credits": { "lo": 1, "auto": 2, "hi": 4 }, "groundingPerUnit": 2 }
          },
          "domains": {},
          "flatAgents": [],
          "agents": {
            "agent.research": { "baseCredits": 3, "creditsPerToolCall": 0.5 },
            "document.auditor": { "baseCredits": 5, "creditsPerToolCall": 2 }
          },
          "customModel": { "creditsPerPage": 8 },
          "serviceTiers": {
            "default": "standard",
            "multipliers": { "standard": 1.0, "flex": 0.5, "priority": 1.8 },
            "aliases": { "auto": "standard", "default": "standard" }
          }
        }
        """;

    /// <summary>The book with generic agents, loaded once.</summary>
    public static PriceBook Agents { get; } = Load(AgentBookJson, "agent test book");

    /// <summary>The embedded book's JSON text, as shipped.</summary>
    public static string EmbeddedJson()
    {
        using var stream = typeof(PriceBook).Assembly.GetManifestResourceStream(PriceBook.EmbeddedResourceName)
            ?? throw new InvalidOperationException("The embedded price book is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>The embedded plans' JSON text, as shipped.</summary>
    public static string EmbeddedPlansJson()
    {
        using var stream = typeof(PlanCatalog).Assembly.GetManifestResourceStream(PlanCatalog.EmbeddedResourceName)
            ?? throw new InvalidOperationException("The embedded plans are missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Loads a price book from JSON text.</summary>
    public static PriceBook Load(string json, string source = "test book")
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return PriceBook.Load(stream, source);
    }

    /// <summary>Loads plans from JSON text.</summary>
    public static PlanCatalog LoadPlans(string json, string source = "test plans")
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return PlanCatalog.Load(stream, source);
    }

    /// <summary>
    /// Returns <paramref name="json"/> with the value at <paramref name="slashPath"/> (segments separated by '/', array
    /// indexes as numbers) replaced by the JSON <paramref name="newValue"/>, or removed when it is null.
    /// </summary>
    public static string With(string json, string slashPath, string? newValue)
    {
        var root = JsonNode.Parse(json) ?? throw new InvalidOperationException("The JSON is null.");
        var segments = slashPath.Split('/');
        var parent = root;
        foreach (var segment in segments[..^1])
        {
            parent = Child(parent, segment) ?? throw new InvalidOperationException($"No '{segment}' in '{slashPath}'.");
        }

        var last = segments[^1];
        var value = newValue is null ? null : JsonNode.Parse(newValue);
        switch (parent)
        {
            case JsonObject obj when newValue is null:
                if (!obj.Remove(last))
                {
                    throw new InvalidOperationException($"No '{last}' to remove in '{slashPath}'.");
                }

                break;
            case JsonObject obj:
                obj[last] = value;
                break;
            case JsonArray array:
                array[int.Parse(last, CultureInfo.InvariantCulture)] = value;
                break;
            default:
                throw new InvalidOperationException($"'{slashPath}' does not lead to an object or array.");
        }

        return root.ToJsonString();
    }

    /// <summary>Parses an exact decimal written in invariant notation, so that expected values stay literal.</summary>
    public static decimal D(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

    private static JsonNode? Child(JsonNode node, string segment) => node switch
    {
        JsonArray array => array[int.Parse(segment, CultureInfo.InvariantCulture)],
        JsonObject obj => obj[segment],
        _ => null,
    };
}
