using System.Text;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Statements;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Host.Commands;

/// <summary><c>statements export</c> and <c>statements verify</c>: the closed statements of one period, for a warehouse or a reconciliation; <c>statements close</c>: one account's period closed on demand.</summary>
public static class StatementsCommand
{
    /// <summary>Runs the command as parsed by <see cref="HostCommandLine"/>; verify answers 1 when any statement differs.</summary>
    public static async Task<int> RunAsync(StatementsArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        if (arguments.Action == StatementsAction.Export && File.Exists(arguments.Out))
        {
            // Checked before storage is touched: the operator learns of the typo without a run that cannot end well.
            throw CommandException.Usage($"--out must be a directory; {arguments.Out} is a file.");
        }

        var services = CommandServices.Create(arguments.Connection);
        await using (services)
        {
            await services.GetRequiredService<MeteringTables>().EnsureCreatedAsync(cancellationToken);
            return arguments.Action switch
            {
                StatementsAction.Export => await ExportAsync(services.GetRequiredService<StatementStore>(), arguments, output, cancellationToken),
                StatementsAction.Close => await CloseAsync(services.GetRequiredService<StatementCloser>(), services.GetRequiredService<AccountRegistry>(), arguments, output, cancellationToken),
                _ => await VerifyAsync(services.GetRequiredService<StatementVerifier>(), arguments, output, cancellationToken),
            };
        }
    }

    /// <summary>Writes the period's closed statements to <c>statements-YYYY-MM.csv</c> and <c>.jsonl</c> under the output directory.</summary>
    public static async Task<int> ExportAsync(StatementStore store, StatementsArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        var statements = (await store.ClosedOfPeriodAsync(arguments.Period, cancellationToken)).Select(s => s.Statement).ToList();
        var csv = Path.Combine(arguments.Out, $"statements-{arguments.Period}.csv");
        var jsonl = Path.Combine(arguments.Out, $"statements-{arguments.Period}.jsonl");
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        try
        {
            Directory.CreateDirectory(arguments.Out);
            await File.WriteAllTextAsync(csv, StatementExportFormat.ToCsv(statements), utf8, cancellationToken);
            await File.WriteAllTextAsync(jsonl, StatementExportFormat.ToJsonLines(statements), utf8, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The local disk, not storage (IOException would otherwise read as a storage fault): exit code 1, named.
            throw new CommandException($"Could not write the export to {arguments.Out}: {e.Message}", e);
        }

        await output.WriteLineAsync($"Exported {statements.Count} closed statement(s) of {arguments.Period} ({statements.Sum(s => s.Lines.Count)} lines) to {csv} and {jsonl}.");
        return 0;
    }

    /// <summary>Closes the account's statement of the period as the timer would; answers 1 (naming the close instant) before it.</summary>
    public static async Task<int> CloseAsync(StatementCloser closer, AccountRegistry accounts, StatementsArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(closer);
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        if (await accounts.ReadAsync(arguments.AccountId, cancellationToken) is null)
        {
            throw new CommandException($"Account '{arguments.AccountId}' does not exist.");
        }

        var close = await closer.CloseOnDemandAsync(arguments.AccountId, arguments.Period, cancellationToken);
        var at = close.CloseInstant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        if (close.Outcome == CloseOutcome.NotDue)
        {
            throw new CommandException($"The {arguments.Period} statement of {arguments.AccountId} closes at {at}; it cannot be closed before then.");
        }

        var totals = close.Statement?.Totals;
        await output.WriteLineAsync(close.Outcome switch
        {
            CloseOutcome.Closed => $"Closed the {arguments.Period} statement of {arguments.AccountId} as of {at}: {close.Statement!.Lines.Count} lines, {totals!.AmountDueCredits} credits due; invoice-ready sent.",
            CloseOutcome.AlreadyClosed => $"The {arguments.Period} statement of {arguments.AccountId} was already closed as of {at}: {close.Statement!.Lines.Count} lines, {totals!.AmountDueCredits} credits due.",
            _ => $"The {arguments.Period} statement of {arguments.AccountId} is closed as of {at} with nothing billed; no statement is stored.",
        });
        return 0;
    }

    /// <summary>Recomputes the period's closed statements and prints each difference.</summary>
    public static async Task<int> VerifyAsync(StatementVerifier verifier, StatementsArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        var report = await verifier.VerifyAsync(arguments.Period, cancellationToken);
        foreach (var d in report.Differences)
        {
            await output.WriteLineAsync($"DIFFERENT {d.AccountId} {d.Period} {d.Field}: stored {d.Stored}; recomputed {d.Recomputed}");
        }

        var accounts = report.Differences.Select(d => d.AccountId).Distinct(StringComparer.Ordinal).Count();
        await output.WriteLineAsync(report.Differences.Count == 0
            ? $"Verified {report.Statements} closed statement(s) of {report.Period}: no differences."
            : $"Verified {report.Statements} closed statement(s) of {report.Period}: {report.Differences.Count} difference(s) in {accounts} statement(s).");
        return report.Differences.Count == 0 ? 0 : 1;
    }
}
