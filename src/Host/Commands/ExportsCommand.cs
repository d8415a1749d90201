using System.Globalization;
using Microsoft.Extensions.Options;
using Spectre.Console;
using UsageProcessor.Metering.Exports;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Host.Commands;

/// <summary><c>exports backfill</c> and <c>exports verify</c>: the daily Parquet exports written on demand, and recounted against the ledger.</summary>
public static class ExportsCommand
{
    /// <summary>Runs the command as parsed by <see cref="HostCommandLine"/>; verify answers 1 when the files and the ledger differ.</summary>
    public static async Task<int> RunAsync(ExportsArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        var services = CommandServices.Create(arguments.Connection);
        await using (services)
        {
            var console = Console(output);
            if (arguments.Action == ExportsAction.Verify)
            {
                // On storage that never held a ledger, the answer is "not exported", not a missing table.
                await services.GetRequiredService<MeteringTables>().EnsureCreatedAsync(cancellationToken);
                return await VerifyAsync(services.GetRequiredService<ExportVerifier>(), arguments.From, console, cancellationToken);
            }

            // Checked before storage is touched: a day not over yet is the operator's typing, not a storage fault.
            var due = ExportSchedule.LatestDueDay(services.GetRequiredService<TimeProvider>().GetUtcNow(), services.GetRequiredService<IOptions<ExportOptions>>().Value.ExportAfter);
            if (arguments.To > due)
            {
                throw CommandException.Usage($"--to {Day(arguments.To)} is not finished yet: days up to {Day(due)} can be exported now (a day is due Exports:ExportAfter after it ends).");
            }

            await services.GetRequiredService<MeteringTables>().EnsureCreatedAsync(cancellationToken);
            return await BackfillAsync(services.GetRequiredService<DailyExporter>(), arguments.From, arguments.To, console, cancellationToken);
        }
    }

    /// <summary>Exports every day from <paramref name="first"/> to <paramref name="last"/> without a manifest and prints each unit's outcome; 1 if another exporter held a unit.</summary>
    public static async Task<int> BackfillAsync(DailyExporter exporter, DateOnly first, DateOnly last, IAnsiConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exporter);
        ArgumentNullException.ThrowIfNull(console);
        var run = await exporter.ExportDaysAsync(first, last, cancellationToken);
        var table = new Table().AddColumns("unit", "outcome");
        foreach (var (unit, outcome) in run.Units)
        {
            table.AddRow(Markup.Escape(unit.Folder), Outcome(outcome));
        }

        console.Write(table);
        var busy = run.Units.Count(u => u.Outcome == ExportOutcome.Busy);
        var already = run.Units.Count(u => u.Outcome == ExportOutcome.AlreadyExported);
        console.MarkupLineInterpolated($"Exported {Day(first)} to {Day(last)}: {run.Written} unit(s) written, {already} already exported, {busy} busy.");
        if (busy > 0)
        {
            // Another exporter (the timer) is writing those units now; it commits them, or a rerun does once its lease runs out.
            console.MarkupLine("Busy units are being written by another exporter; run again in a minute to confirm they are committed.");
        }

        return busy == 0 ? 0 : 1;
    }

    /// <summary>Recounts <paramref name="day"/>'s files and prints the counts per unit and account, then each problem.</summary>
    public static async Task<int> VerifyAsync(ExportVerifier verifier, DateOnly day, IAnsiConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(console);
        var report = await verifier.VerifyAsync(day, cancellationToken);
        var table = new Table().AddColumns("unit", "account", "ledger rows", "file rows", "ledger credits", "file credits", "");
        foreach (var c in report.Counts)
        {
            table.AddRow(
                Markup.Escape(c.Unit), Markup.Escape(c.AccountId ?? "(all)"), Number(c.LedgerRows), Number(c.FileRows),
                Credits(c.LedgerCredits), Credits(c.FileCredits), c.Matches ? "ok" : "[red]DIFFERENT[/]");
        }

        console.Write(table);
        foreach (var problem in report.Problems)
        {
            console.MarkupLineInterpolated($"[red]PROBLEM[/] {problem}");
        }

        console.MarkupLineInterpolated($"Verified the exports of {Day(day)}: {(report.Ok ? "no differences" : $"{report.Problems.Count} problem(s)")}.");
        return report.Ok ? 0 : 1;
    }

    // Plain text into the given writer (a file, a pipe or a test's StringWriter): no colour codes, a fixed width.
    private static IAnsiConsole Console(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
        });
        if (!ReferenceEquals(output, System.Console.Out) || System.Console.IsOutputRedirected)
        {
            console.Profile.Width = 160;
        }

        return console;
    }

    private static string Outcome(ExportOutcome outcome) => outcome switch
    {
        ExportOutcome.Written => "written",
        ExportOutcome.AlreadyExported => "already exported",
        ExportOutcome.Busy => "[yellow]busy[/]",
        _ => outcome.ToString(),
    };

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Credits(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
