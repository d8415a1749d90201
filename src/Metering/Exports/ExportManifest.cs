using System.Text.Json;
using System.Text.Json.Serialization;

namespace UsageProcessor.Metering.Exports;

/// <summary>One Parquet file of a unit, as its manifest lists it.</summary>
/// <param name="Name">The blob name.</param>
/// <param name="Rows">Rows in the file.</param>
/// <param name="Credits">The exact sum of the file's credits column.</param>
/// <param name="Bytes">The file's size.</param>
public sealed record ExportPart(string Name, long Rows, decimal Credits, long Bytes);

/// <summary>What one unit's export wrote: its existence is the commit point, and readers that honour it read exactly these parts.</summary>
/// <param name="Table">The table.</param>
/// <param name="Period">The month.</param>
/// <param name="Day">The day of the month, or null for statements.</param>
/// <param name="Schema">The schema version of the parts' columns.</param>
/// <param name="WrittenAt">When the manifest was committed.</param>
/// <param name="Rows">Rows in all parts.</param>
/// <param name="Credits">The exact sum of all parts' credits.</param>
/// <param name="Parts">The parts, in order.</param>
public sealed record ExportManifest(string Table, string Period, int? Day, int Schema, DateTimeOffset WrittenAt, long Rows, decimal Credits, IReadOnlyList<ExportPart> Parts)
{
    /// <summary>The schema version written now; a column added (such as a usage outcome) raises it.</summary>
    public const int CurrentSchema = 3;

    /// <summary>The manifest's JSON: decimals exact, as written.</summary>
    internal static JsonSerializerOptions Json { get; } = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = true,
        };
        options.Converters.Add(new ExactDecimalJsonConverter());
        return options;
    }
}
