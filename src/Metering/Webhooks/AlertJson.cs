using System.Text.Json;
using System.Text.Json.Serialization;

namespace UsageProcessor.Metering.Webhooks;

/// <summary>The JSON of alert messages and webhook bodies: camelCase, exact decimals without trailing zeros.</summary>
/// <remarks>
/// Its own options, not the HTTP layer's: a webhook body is a contract with receivers and must not change when an
/// API answer's conventions do.
/// </remarks>
public static class AlertJson
{
    /// <summary>The serializer options of the alerts queue and of webhook bodies.</summary>
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
