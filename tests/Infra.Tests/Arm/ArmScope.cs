using System.Globalization;
using System.Text.Json;

namespace UsageProcessor.Infra.Tests.Arm;

/// <summary>
/// Evaluates the expressions of one ARM template (the root template or a module's nested one) the way
/// Azure Resource Manager would, as far as it can be done offline: parameters, variables, loops and the
/// pure functions Bicep emits. Values only known at deployment (reference(), uniqueString(), ...) come out
/// as <see cref="Unknown"/>, so checks on them cannot pass by accident.
/// </summary>
public sealed class ArmScope
{
    private readonly IReadOnlyDictionary<string, object?> _parameterValues;
    private readonly Dictionary<string, object?> _parameterCache;
    private readonly Dictionary<string, object?> _variableCache;
    private readonly IReadOnlyDictionary<string, object?> _copyIndexes;

    private ArmScope(
        JsonElement template,
        string path,
        IReadOnlyDictionary<string, object?> parameterValues,
        Dictionary<string, object?> parameterCache,
        Dictionary<string, object?> variableCache,
        IReadOnlyDictionary<string, object?> copyIndexes)
    {
        Template = template;
        Path = path;
        _parameterValues = parameterValues;
        _parameterCache = parameterCache;
        _variableCache = variableCache;
        _copyIndexes = copyIndexes;
    }

    /// <summary>The template whose expressions this scope evaluates.</summary>
    public JsonElement Template { get; }

    /// <summary>Where the template sits: "main" or "main/&lt;module deployment&gt;".</summary>
    public string Path { get; }

    /// <summary>A scope for a template with the given parameter values (others take their defaults).</summary>
    public static ArmScope Create(JsonElement template, string path, IReadOnlyDictionary<string, object?> parameterValues) =>
        new(
            template,
            path,
            new Dictionary<string, object?>(parameterValues, StringComparer.OrdinalIgnoreCase),
            new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase),
            new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase),
            new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase));

    /// <summary>The same scope inside iteration <paramref name="index"/> of the loop <paramref name="loopName"/>.</summary>
    public ArmScope WithCopyIndex(string loopName, object? index, bool isResourceLoop)
    {
        var indexes = new Dictionary<string, object?>(_copyIndexes, StringComparer.OrdinalIgnoreCase) { [loopName] = index };
        if (isResourceLoop)
        {
            indexes[string.Empty] = index;
        }

        return new ArmScope(Template, Path, _parameterValues, _parameterCache, _variableCache, indexes);
    }

    /// <summary>Evaluates a JSON value of the template: expression strings are evaluated, the rest recursively.</summary>
    public object? Evaluate(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return EvaluateString(element.GetString()!);
            case JsonValueKind.Array:
                return element.EnumerateArray().Select(Evaluate).ToList();
            case JsonValueKind.Object:
                var result = ArmValue.NewObject();
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "copy" && property.Value.ValueKind == JsonValueKind.Array)
                    {
                        // Property loops: each entry builds an array property from "input" and copyIndex('name').
                        foreach (var loop in property.Value.EnumerateArray())
                        {
                            var loopName = loop.GetProperty("name").GetString()!;
                            result[loopName] = EvaluateLoop(loopName, loop.GetProperty("count"), loop.GetProperty("input"));
                        }

                        continue;
                    }

                    result[ArmValue.ToText(EvaluateString(property.Name))] = Evaluate(property.Value);
                }

                return result;
            default:
                return ArmValue.FromJson(element);
        }
    }

    /// <summary>Evaluates a string of the template: an expression, an escaped "[[" literal or plain text.</summary>
    public object? EvaluateString(string text)
    {
        if (ArmExpression.IsExpression(text))
        {
            return Evaluate(ArmExpression.Parse(text));
        }

        return text.StartsWith("[[", StringComparison.Ordinal) ? text[1..] : text;
    }

    public object? Evaluate(ArmExpression expression) => expression switch
    {
        ArmExpression.Literal literal => literal.Value,
        ArmExpression.Property property => Member(Evaluate(property.Target), property.Name),
        ArmExpression.Index index => Element(Evaluate(index.Target), Evaluate(index.Key)),
        ArmExpression.Call call => Call(call.Name, call.Arguments),
        _ => throw new NotSupportedException(expression.GetType().Name),
    };

    /// <summary>The value of a parameter: the one given, else its default, else Unknown.</summary>
    public object? Parameter(string name)
    {
        if (_parameterCache.TryGetValue(name, out var cached))
        {
            return cached;
        }

        if (!Template.TryGetProperty("parameters", out var parameters) || !TryGetPropertyIgnoreCase(parameters, name, out var definition))
        {
            throw new InvalidOperationException($"{Path}: parameter '{name}' is not declared.");
        }

        object? value;
        if (_parameterValues.TryGetValue(name, out var given))
        {
            value = given;
        }
        else if (definition.TryGetProperty("defaultValue", out var defaultValue))
        {
            value = Evaluate(defaultValue);
        }
        else
        {
            value = Unknown.Value;
        }

        _parameterCache[name] = value;
        return value;
    }

    public object? Variable(string name)
    {
        if (_variableCache.TryGetValue(name, out var cached))
        {
            return cached;
        }

        if (!Template.TryGetProperty("variables", out var variables))
        {
            throw new InvalidOperationException($"{Path}: variable '{name}' is not declared.");
        }

        object? value = null;
        var found = false;
        if (TryGetPropertyIgnoreCase(variables, name, out var definition) && name != "copy")
        {
            value = Evaluate(definition);
            found = true;
        }
        else if (variables.TryGetProperty("copy", out var loops) && loops.ValueKind == JsonValueKind.Array)
        {
            foreach (var loop in loops.EnumerateArray())
            {
                if (string.Equals(loop.GetProperty("name").GetString(), name, StringComparison.OrdinalIgnoreCase))
                {
                    value = EvaluateLoop(name, loop.GetProperty("count"), loop.GetProperty("input"));
                    found = true;
                }
            }
        }

        if (!found)
        {
            throw new InvalidOperationException($"{Path}: variable '{name}' is not declared.");
        }

        _variableCache[name] = value;
        return value;
    }

    private static bool TryGetPropertyIgnoreCase(JsonElement element, string name, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    private object? EvaluateLoop(string loopName, JsonElement count, JsonElement input)
    {
        if (Evaluate(count) is not long length)
        {
            return Unknown.Value;
        }

        var items = new List<object?>();
        for (var i = 0L; i < length; i++)
        {
            items.Add(WithCopyIndex(loopName, i, isResourceLoop: false).Evaluate(input));
        }

        return items;
    }

    private static object? Member(object? target, string name) => target switch
    {
        Unknown => Unknown.Value,
        Dictionary<string, object?> properties => properties.TryGetValue(name, out var value)
            ? value
            : throw new InvalidOperationException($"The object has no property '{name}'."),
        _ => throw new InvalidOperationException($"Cannot read '{name}' of {ArmValue.ToText(target)}."),
    };

    private static object? Element(object? target, object? key) => (target, key) switch
    {
        (Unknown, _) or (_, Unknown) => Unknown.Value,
        (List<object?> items, long index) => items[checked((int)index)],
        (Dictionary<string, object?> properties, string name) => Member(properties, name),
        _ => throw new InvalidOperationException($"Cannot index {ArmValue.ToText(target)} with {ArmValue.ToText(key)}."),
    };

    private object? Call(string name, IReadOnlyList<ArmExpression> arguments)
    {
        // Lazy functions first: the branch not taken may not be evaluable.
        switch (name.ToUpperInvariant())
        {
            case "IF":
                var condition = Evaluate(arguments[0]);
                return condition switch
                {
                    true => Evaluate(arguments[1]),
                    false => Evaluate(arguments[2]),
                    _ => Unknown.Value,
                };
            case "PARAMETERS":
                return Parameter(ArmValue.ToText(Evaluate(arguments[0])));
            case "VARIABLES":
                return Variable(ArmValue.ToText(Evaluate(arguments[0])));
            default:
                break;
        }

        var values = arguments.Select(Evaluate).ToList();
        return name.ToUpperInvariant() switch
        {
            "COPYINDEX" => CopyIndex(values),
            "FORMAT" => Format(values),
            "CONCAT" => Concat(values),
            "CREATEARRAY" => values,
            "CREATEOBJECT" => CreateObject(values),
            "UNION" => Union(values),
            "EQUALS" => AnyUnknown(values) ? Unknown.Value : SameValue(values[0], values[1]),
            "NOT" => values[0] is bool flag ? !flag : Unknown.Value,
            "AND" => values.Any(ArmValue.IsFalse) ? false : values.All(ArmValue.IsTrue) ? true : Unknown.Value,
            "OR" => values.Any(ArmValue.IsTrue) ? true : values.All(ArmValue.IsFalse) ? false : Unknown.Value,
            "EMPTY" => Empty(values[0]),
            "LENGTH" => Length(values[0]),
            "STRING" => values[0] is Unknown ? Unknown.Value : ArmValue.ToText(values[0]),
            "INT" => values[0] switch
            {
                long integer => integer,
                string text => long.Parse(text, CultureInfo.InvariantCulture),
                _ => Unknown.Value,
            },
            "BOOL" => values[0] switch
            {
                bool flag => flag,
                string text => bool.Parse(text),
                _ => Unknown.Value,
            },
            "TOLOWER" => values[0] is string text ? text.ToLowerInvariant() : Unknown.Value,
            "TOUPPER" => values[0] is string text ? text.ToUpperInvariant() : Unknown.Value,
            "TAKE" => Take(values[0], values[1]),
            "SPLIT" => values[0] is string text && values[1] is string separator
                ? text.Split(separator).Cast<object?>().ToList()
                : Unknown.Value,
            "FIRST" => values[0] switch
            {
                List<object?> items => items.FirstOrDefault(),
                string text => text.Length > 0 ? text[..1] : string.Empty,
                _ => Unknown.Value,
            },
            "LAST" => values[0] switch
            {
                List<object?> items => items.LastOrDefault(),
                string text => text.Length > 0 ? text[^1..] : string.Empty,
                _ => Unknown.Value,
            },
            "REPLACE" => values[0] is string text && values[1] is string oldValue && values[2] is string newValue
                ? text.Replace(oldValue, newValue, StringComparison.Ordinal)
                : Unknown.Value,
            "COALESCE" => Coalesce(values),
            "TRYGET" => TryGet(values),
            "NULL" => null,
            "TRUE" => true,
            "FALSE" => false,
            "ENVIRONMENT" => AzureCloud(),
            "SUBSCRIPTIONRESOURCEID" => ResourceId($"/subscriptions/{Unknown.Placeholder}", values),
            "RESOURCEID" => ResourceId($"/subscriptions/{Unknown.Placeholder}/resourceGroups/{Unknown.Placeholder}", values),
            // reference(), uniqueString(), guid(), subscription(), resourceGroup(), list*() ...: known only in Azure.
            _ => Unknown.Value,
        };
    }

    private object? CopyIndex(List<object?> values)
    {
        var loopName = values.Count > 0 && values[0] is string name ? name : string.Empty;
        var offset = values.Count > 0 && values[^1] is long number ? number : 0;
        if (!_copyIndexes.TryGetValue(loopName, out var index))
        {
            throw new InvalidOperationException($"{Path}: copyIndex('{loopName}') outside its loop.");
        }

        return index is long position ? position + offset : Unknown.Value;
    }

    private static bool AnyUnknown(List<object?> values) => values.Any(value => value is Unknown);

    private static bool SameValue(object? left, object? right) =>
        JsonSerializer.Serialize(left) == JsonSerializer.Serialize(right);

    private static object Format(List<object?> values)
    {
        var arguments = values.Skip(1).Select(ArmValue.ToText).Cast<object?>().ToArray();
        return string.Format(CultureInfo.InvariantCulture, ArmValue.ToText(values[0]), arguments);
    }

    private static object Concat(List<object?> values)
    {
        if (values.Count > 0 && values.All(value => value is List<object?>))
        {
            return values.Cast<List<object?>>().SelectMany(items => items).ToList();
        }

        return string.Concat(values.Select(ArmValue.ToText));
    }

    private static object CreateObject(List<object?> values)
    {
        var result = ArmValue.NewObject();
        for (var i = 0; i + 1 < values.Count; i += 2)
        {
            result[ArmValue.ToText(values[i])] = values[i + 1];
        }

        return result;
    }

    private static object? Union(List<object?> values)
    {
        if (AnyUnknown(values))
        {
            return Unknown.Value;
        }

        if (values.All(value => value is Dictionary<string, object?>))
        {
            var result = ArmValue.NewObject();
            foreach (var properties in values.Cast<Dictionary<string, object?>>())
            {
                foreach (var (key, value) in properties)
                {
                    result[key] = value;
                }
            }

            return result;
        }

        return values.Cast<List<object?>>().SelectMany(items => items).Distinct().ToList();
    }

    private static object Empty(object? value) => value switch
    {
        null => true,
        string text => text.Length == 0,
        List<object?> items => items.Count == 0,
        Dictionary<string, object?> properties => properties.Count == 0,
        Unknown => Unknown.Value,
        _ => false,
    };

    private static object Length(object? value) => value switch
    {
        string text => (long)text.Length,
        List<object?> items => (long)items.Count,
        Dictionary<string, object?> properties => (long)properties.Count,
        _ => Unknown.Value,
    };

    private static object Take(object? value, object? count) => (value, count) switch
    {
        (string text, long length) => text[..(int)Math.Min(text.Length, length)],
        (List<object?> items, long length) => items.Take((int)length).ToList(),
        _ => Unknown.Value,
    };

    private static object? Coalesce(List<object?> values)
    {
        foreach (var value in values)
        {
            if (value is not null)
            {
                return value;
            }
        }

        return null;
    }

    private static object? TryGet(List<object?> values)
    {
        var current = values[0];
        foreach (var key in values.Skip(1))
        {
            current = (current, key) switch
            {
                (Unknown, _) or (_, Unknown) => Unknown.Value,
                (Dictionary<string, object?> properties, string name) => properties.GetValueOrDefault(name),
                (List<object?> items, long index) => index >= 0 && index < items.Count ? items[(int)index] : null,
                _ => null,
            };
        }

        return current;
    }

    private static Dictionary<string, object?> AzureCloud()
    {
        var suffixes = ArmValue.NewObject();
        suffixes["storage"] = "core.windows.net";
        var environment = ArmValue.NewObject();
        environment["name"] = "AzureCloud";
        environment["suffixes"] = suffixes;
        return environment;
    }

    private static string ResourceId(string prefix, List<object?> values)
    {
        var texts = values.Select(ArmValue.ToText).ToList();
        var typeIndex = texts.FindIndex(text => text.Contains('/', StringComparison.Ordinal));
        var type = texts[typeIndex].Split('/');
        var names = texts.Skip(typeIndex + 1).ToList();
        var segments = new List<string> { type[0], type[1], names[0] };
        for (var i = 2; i < type.Length; i++)
        {
            segments.Add(type[i]);
            segments.Add(names[i - 1]);
        }

        return $"{prefix}/providers/{string.Join('/', segments)}";
    }
}
