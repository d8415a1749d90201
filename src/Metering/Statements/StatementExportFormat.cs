using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace UsageProcessor.Metering.Statements;

/// <summary>The export shape of statements: one row per statement line, with stable column names (docs/statements.md).</summary>
public static class StatementExportFormat
{
    /// <summary>The columns, in order; the CSV header and the JSON Lines property names.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "accountId", "statementPeriod", "status", "closedAt", "line", "kind", "period", "family", "domain", "detail",
        "serviceTier", "rule", "unit", "grant", "jobs", "units", "credits", "usd", "outcome",
    ];

    /// <summary>The CSV of <paramref name="statements"/>: the header, then one row per line.</summary>
    public static string ToCsv(IEnumerable<Statement> statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var csv = new StringBuilder();
        CsvCells.AppendRow(csv, Columns);
        foreach (var statement in statements)
        {
            foreach (var line in statement.Lines)
            {
                CsvCells.AppendRow(csv, Cells(statement, line).Select(c => c.Text));
            }
        }

        return csv.ToString();
    }

    /// <summary>The JSON Lines of <paramref name="statements"/>: one object per line, LF-terminated.</summary>
    public static string ToJsonLines(IEnumerable<Statement> statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var lines = new StringBuilder();
        foreach (var statement in statements)
        {
            foreach (var line in statement.Lines)
            {
                var json = new JsonObject();
                foreach (var (name, cell) in Columns.Zip(Cells(statement, line)))
                {
                    json[name] = cell.Json;
                }

                lines.Append(json.ToJsonString(JsonOptions)).Append('\n');
            }
        }

        return lines.ToString();
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static IEnumerable<(string? Text, JsonNode? Json)> Cells(Statement s, StatementLine l)
    {
        yield return Text(s.AccountId);
        yield return Text(s.Period);
        yield return Text(s.Status);
        yield return s.ClosedAt is { } closed ? Text(CsvCells.Instant(closed)) : (null, null);
        yield return Whole(l.Line);
        yield return Text(l.Kind);
        yield return Text(l.Period);
        yield return Text(l.Family);
        yield return Text(l.Domain);
        yield return Text(l.Detail);
        yield return Text(l.ServiceTier);
        yield return Text(l.Rule);
        yield return Text(l.Unit);
        yield return Text(l.Grant);
        yield return Whole(l.Jobs);
        yield return l.Units is { } units ? Whole(units) : (null, null);
        yield return Exact(l.Credits);
        yield return Exact(l.Usd);
        yield return Text(l.Outcome);
    }

    private static (string? Text, JsonNode? Json) Text(string? value) => (value, value is null ? null : JsonValue.Create(value));

    private static (string? Text, JsonNode? Json) Whole(long value) => (value.ToString(CultureInfo.InvariantCulture), JsonValue.Create(value));

    // Exact decimals: the JSON number is written from the same text as the CSV cell, so no float ever touches it.
    private static (string? Text, JsonNode? Json) Exact(decimal value)
    {
        var text = CsvCells.Number(value);
        return (text, JsonNode.Parse(text));
    }
}
