using System.Text.Json;
using System.Text.Json.Serialization;

namespace UsageProcessor.Metering.Http;

/// <summary>The JSON conventions of every HTTP answer: camelCase, exact decimals without trailing zeros.</summary>
public static class ApiJson
{
    /// <summary>The serializer options shared by both hosts.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        options.Converters.Add(new ExactDecimalJsonConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
