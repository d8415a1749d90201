using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Api;

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
        options.Converters.Add(new ExactDecimalConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Writes decimals exactly and without trailing zeros (1.0 → 1, 0.1080 → 0.108).</summary>
    private sealed class ExactDecimalConverter : JsonConverter<decimal>
    {
        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDecimal();

        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
            writer.WriteRawValue(Money.Normalize(value).ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
    }
}
