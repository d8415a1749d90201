using System.Globalization;
using System.Text.Json;

namespace UsageProcessor.Infra.Tests.Snapshot;

/// <summary>
/// Values of a Bicep snapshot as plain objects: <see cref="string"/>, <see cref="long"/>, <see cref="double"/>,
/// <see cref="bool"/>, null, <see cref="List{T}"/> and <see cref="Dictionary{TKey,TValue}"/> (keys
/// case-insensitive, as in ARM). What only Azure knows (a principal ID, an endpoint) stays an expression string
/// such as <c>[reference('...').principalId]</c>.
/// </summary>
public static class SnapshotValue
{
    public static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var integer) ? integer : (object)element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Array => element.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.Object => element.EnumerateObject().Aggregate(new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase), (result, property) =>
        {
            result[property.Name] = FromJson(property.Value);
            return result;
        }),
        _ => throw new NotSupportedException($"JSON value kind {element.ValueKind}."),
    };

    /// <summary>The value as text (JSON for lists and objects).</summary>
    public static string ToText(object? value) => value switch
    {
        null => string.Empty,
        string text => text,
        bool flag => flag ? "True" : "False",
        long integer => integer.ToString(CultureInfo.InvariantCulture),
        double number => number.ToString(CultureInfo.InvariantCulture),
        _ => JsonSerializer.Serialize(value),
    };

    /// <summary>Follows a dotted path of property names; null when a step is missing.</summary>
    public static object? At(object? value, string path)
    {
        foreach (var step in path.Split('.'))
        {
            value = value is Dictionary<string, object?> properties ? properties.GetValueOrDefault(step) : null;
        }

        return value;
    }

    /// <summary>Whether the value is left for Azure to evaluate at deployment time.</summary>
    public static bool IsRuntimeExpression(object? value) =>
        value is string text && text.StartsWith('[') && text.EndsWith(']');
}
