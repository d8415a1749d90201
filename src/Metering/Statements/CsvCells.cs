using System.Globalization;
using System.Text;

namespace UsageProcessor.Metering.Statements;

/// <summary>CSV cells a spreadsheet reads as text: formula-like cells neutralised, quoting where needed, CRLF rows.</summary>
public static class CsvCells
{
    /// <summary>Appends one row of <paramref name="cells"/> and its CRLF.</summary>
    public static StringBuilder AppendRow(StringBuilder csv, IEnumerable<string?> cells)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(cells);
        return csv.AppendJoin(',', cells.Select(Escape)).Append("\r\n");
    }

    /// <summary>A cell: a leading '=', '+', '-', '@', tab or CR gets an apostrophe (OWASP's CSV-injection advice), then quoting if needed.</summary>
    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n\t'") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>An exact decimal without trailing zeros. A negative number is a formula-like cell, and is neutralised like one.</summary>
    public static string Number(decimal value) => Pricing.Money.Normalize(value).ToString(CultureInfo.InvariantCulture);

    /// <summary>A UTC instant with milliseconds.</summary>
    public static string Instant(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
