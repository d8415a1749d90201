using System.Reflection;
using System.Text.Json.Nodes;

namespace UsageProcessor.Metering.Http;

/// <summary>The code blocks of docs/api.md (embedded at build), by heading, for the OpenAPI document's examples.</summary>
public static class DocExamples
{
    private static readonly Lazy<string[]> Lines = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("api.md")
            ?? throw new InvalidOperationException("docs/api.md is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().ReplaceLineEndings("\n").Split('\n');
    });

    /// <summary>The example <paramref name="example"/> names: parsed JSON, or the text of any other block.</summary>
    public static JsonNode Get(DocExample example)
    {
        ArgumentNullException.ThrowIfNull(example);
        var text = Block(example);
        return example.Language == "json"
            ? JsonNode.Parse(text) ?? throw new InvalidOperationException($"Example {example} is null.")
            : JsonValue.Create(text.Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n");
    }

    /// <summary>The JSON body a curl command of docs/api.md sends with <c>-d '...'</c>.</summary>
    public static JsonNode RequestBody(DocExample example)
    {
        ArgumentNullException.ThrowIfNull(example);
        var command = Block(example);
        var start = command.IndexOf("-d '", StringComparison.Ordinal);
        var end = start < 0 ? -1 : command.IndexOf('\'', start + 4);
        if (end < 0)
        {
            throw new InvalidOperationException($"The command of {example} sends no -d '...' body.");
        }

        return JsonNode.Parse(command[(start + 4)..end]) ?? throw new InvalidOperationException($"The body of {example} is null.");
    }

    /// <summary>The text of the block: the <see cref="DocExample.Index"/>-th of its language between its heading and the next one.</summary>
    public static string Block(DocExample example)
    {
        ArgumentNullException.ThrowIfNull(example);
        var lines = Lines.Value;
        var start = Array.FindIndex(lines, l => l.StartsWith('#') && l.TrimStart('#').Trim() == example.Heading);
        if (start < 0)
        {
            throw new InvalidOperationException($"docs/api.md has no heading '{example.Heading}'.");
        }

        var found = 0;
        var inFence = false;
        for (var i = start + 1; i < lines.Length; i++)
        {
            if (!inFence && lines[i].StartsWith('#'))
            {
                break;
            }

            if (lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                if (!inFence && lines[i] == "```" + example.Language && found++ == example.Index)
                {
                    var end = Array.FindIndex(lines, i + 1, l => l.StartsWith("```", StringComparison.Ordinal));
                    return string.Join('\n', lines[(i + 1)..end]);
                }

                inFence = !inFence;
            }
        }

        throw new InvalidOperationException($"docs/api.md has no {example.Language} block {example.Index} under '{example.Heading}'.");
    }
}
