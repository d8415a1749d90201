using System.Globalization;
using Azure.Data.Tables;

namespace UsageProcessor.Metering.Partition;

/// <summary>Exact decimals on table entities, which have no decimal type: they are stored as invariant strings.</summary>
internal static class EntityValues
{
    public static decimal GetDecimal(this TableEntity entity, string name) =>
        entity.GetString(name) is { Length: > 0 } text ? decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture) : 0m;

    public static decimal? GetNullableDecimal(this TableEntity entity, string name) =>
        entity.GetString(name) is { Length: > 0 } text ? decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture) : null;

    public static void SetDecimal(this TableEntity entity, string name, decimal value) =>
        entity[name] = Format(value);

    public static void SetNullableDecimal(this TableEntity entity, string name, decimal? value) =>
        entity[name] = value is { } v ? Format(v) : null;

    public static string Format(decimal value) =>
        Pricing.Money.Normalize(value).ToString(CultureInfo.InvariantCulture);

    public static long GetInt64OrZero(this TableEntity entity, string name) =>
        entity.TryGetValue(name, out var value) ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0;
}
