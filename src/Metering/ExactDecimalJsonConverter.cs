using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering;

/// <summary>Writes decimals exactly and without trailing zeros (1.0 → 1, 0.1080 → 0.108); reads them exactly.</summary>
public sealed class ExactDecimalJsonConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDecimal();

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteRawValue(Money.Normalize(value).ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
    }
}
