using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Exports;

/// <summary>What one export run did, per unit.</summary>
/// <param name="Units">Each unit looked at and how it ended.</param>
public sealed record ExportRun(IReadOnlyList<(ExportUnit Unit, ExportOutcome Outcome)> Units)
{
    /// <summary>Units this run wrote.</summary>
    public int Written => Units.Count(u => u.Outcome == ExportOutcome.Written);
}

/// <summary>Exports each finished UTC day's usage and activity, and each fully closed period's statement lines; safe on several instances at once.</summary>
public sealed partial class DailyExporter(
    ExportSource source,
    ExportWriter writer,
    TimeProvider timeProvider,
    IOptions<ExportOptions> options,
    ILogger<DailyExporter> logger)
{
    /// <summary>The timer's run: every due day of the last <see cref="ExportOptions.CatchUpDays"/> without a manifest, and the statements of the two latest periods once closed.</summary>
    public async Task<ExportRun> RunAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = timeProvider.GetUtcNow();
        var (first, last) = ExportSchedule.CatchUpRange(now, o.ExportAfter, o.CatchUpDays);
        var run = await ExportDaysAsync(first, last, cancellationToken);
        var units = run.Units.ToList();
        var period = BillingPeriod.Of(now);
        foreach (var closed in new[] { period.Previous().Previous(), period.Previous() })
        {
            if (await writer.ReadManifestAsync(ExportUnit.OfPeriod(ExportTables.Statements, closed.ToString()), cancellationToken) is null
                && await source.StatementsClosedAsync(closed, cancellationToken))
            {
                units.Add(await ExportStatementsAsync(closed, cancellationToken));
            }
        }

        return new ExportRun(units);
    }

    /// <summary>Exports every day from <paramref name="first"/> to <paramref name="last"/> (inclusive) that has no manifest yet; refuses a day not yet due.</summary>
    public async Task<ExportRun> ExportDaysAsync(DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        var due = ExportSchedule.LatestDueDay(timeProvider.GetUtcNow(), options.Value.ExportAfter);
        if (last > due)
        {
            throw new ArgumentOutOfRangeException(nameof(last), last, $"Days up to {due:yyyy-MM-dd} can be exported now; a later day is not finished yet.");
        }

        await writer.EnsureContainerAsync(cancellationToken);
        var units = new List<(ExportUnit, ExportOutcome)>();
        IReadOnlyList<string>? accounts = null;
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            foreach (var table in ExportTables.Daily)
            {
                var unit = ExportUnit.OfDay(table, day);
                if (await writer.ReadManifestAsync(unit, cancellationToken) is not null)
                {
                    units.Add((unit, ExportOutcome.AlreadyExported));
                    continue;
                }

                // Read once per run, and only when some day needs it: it is the one query over the whole table.
                accounts ??= await source.AccountIdsAsync(cancellationToken);
                var list = accounts;
                var d = day;
                var outcome = table == ExportTables.Usage
                    ? await writer.ExportAsync(unit, async ct => Sorted((await source.UsageBilledOnAsync(list, d, ct)).Select(UsageExportRow.From), r => (r.AccountId, r.JobId)), r => r.Credits, cancellationToken)
                    : await writer.ExportAsync(unit, async ct => Sorted((await source.ActivityOnAsync(list, d, ct)).Select(ActivityExportRow.From), r => (r.AccountId, r.Id)), r => r.Credits, cancellationToken);
                units.Add((unit, outcome));
            }
        }

        LogRun(first.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), last.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), units.Count(u => u.Item2 == ExportOutcome.Written));
        return new ExportRun(units);
    }

    /// <summary>Exports the lines of every closed statement of <paramref name="period"/>, once every account's is closed.</summary>
    public async Task<(ExportUnit Unit, ExportOutcome Outcome)> ExportStatementsAsync(BillingPeriod period, CancellationToken cancellationToken)
    {
        var unit = ExportUnit.OfPeriod(ExportTables.Statements, period.ToString());
        if (!await source.StatementsClosedAsync(period, cancellationToken))
        {
            throw new InvalidOperationException($"The {period} statements are not all closed yet; they are exported once they are.");
        }

        await writer.EnsureContainerAsync(cancellationToken);
        var outcome = await writer.ExportAsync(unit,
            async ct => Sorted((await source.StatementsOfAsync(period, ct)).SelectMany(StatementLineExportRow.From), r => (r.AccountId, r.Line.ToString("D6", System.Globalization.CultureInfo.InvariantCulture))),
            r => r.Credits, cancellationToken);
        return (unit, outcome);
    }

    // One order for every read of the same day, so a rerun makes the same parts with the same rows.
    private static IReadOnlyList<T> Sorted<T>(IEnumerable<T> rows, Func<T, (string, string)> key) =>
        [.. rows.OrderBy(r => key(r).Item1, StringComparer.Ordinal).ThenBy(r => key(r).Item2, StringComparer.Ordinal)];

    [LoggerMessage(Level = LogLevel.Information, Message = "Export run over {First} to {Last}: {Written} units written")]
    private partial void LogRun(string first, string last, int written);
}
