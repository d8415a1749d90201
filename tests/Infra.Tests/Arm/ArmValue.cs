using System.Globalization;
using System.Text.Json;

namespace UsageProcessor.Infra.Tests.Arm;

/// <summary>
/// Values of evaluated ARM expressions: <see cref="string"/>, <see cref="long"/>, <see cref="bool"/>, null,
/// <see cref="List{T}"/> of values, <see cref="Dictionary{TKey,TValue}"/> (keys case-insensitive, as in ARM)
/// and <see cref="Unknown"/>.
/// </summary>
public static class ArmValue
{
    public static Dictionary<string, object?> NewObject() => new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Converts literal JSON (a parameters file, say) without evaluating expressions.</summary>
    public static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var integer) ? integer : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Array => element.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.Object => element.EnumerateObject().Aggregate(NewObject(), (result, property) =>
        {
            result[property.Name] = FromJson(property.Value);
            return result;
        }),
        _ => throw new NotSupportedException($"JSON value kind {element.ValueKind}."),
    };

    /// <summary>The text ARM's string() and format() would produce; unknown parts become a placeholder.</summary>
    public static string ToText(object? value) => value switch
    {
        null => string.Empty,
        string text => text,
        bool flag => flag ? "True" : "False",
        long integer => integer.ToString(CultureInfo.InvariantCulture),
        double number => number.ToString(CultureInfo.InvariantCulture),
        Unknown => Unknown.Placeholder,
        _ => JsonSerializer.Serialize(value),
    };

    /// <summary>Follows a dotted path of property names; null when a step is missing, Unknown when a step is.</summary>
    public static object? At(object? value, string path)
    {
        foreach (var step in path.Split('.'))
        {
            value = value switch
            {
                Unknown => Unknown.Value,
                Dictionary<string, object?> properties => properties.GetValueOrDefault(step),
                _ => null,
            };
        }

        return value;
    }

    public static bool IsTrue(object? value) => value is true;

    public static bool IsFalse(object? value) => value is false;
}
