using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Statements;

namespace UsageProcessor.Metering.Http.Usage;

/// <summary>What the CSV answers share: choosing CSV by Accept, instants, and neutralised cells.</summary>
internal static class UsageCsv
{
    public static bool Wants(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("text/csv", StringComparison.OrdinalIgnoreCase));

    public static string Instant(DateTimeOffset value) => CsvCells.Instant(value);

    // One neutraliser for every CSV the product writes (usage, summaries, activity, statements): see CsvCells.Escape.
    public static string Escape(string? value) => CsvCells.Escape(value);
}
