using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace UsageProcessor.Metering.Http;

/// <summary>What the CSV answers share: choosing CSV by Accept, instants, and neutralised cells.</summary>
internal static class UsageCsv
{
    public static bool Wants(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("text/csv", StringComparison.OrdinalIgnoreCase));

    public static string Instant(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    // OWASP's CSV-injection advice: a cell a spreadsheet could read as a formula gets a leading apostrophe (and is then
    // quoted), so "-1-1" or "=HYPERLINK(...)" shows as text instead of running.
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
}
