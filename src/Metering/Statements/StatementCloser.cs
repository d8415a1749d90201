using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Statements;

/// <summary>What one closing run did.</summary>
/// <param name="Periods">The periods it worked on (already finished ones are skipped).</param>
/// <param name="Closed">Statements this run closed.</param>
/// <param name="InvoiceEvents">Invoice-ready events this run sent.</param>
public sealed record CloseReport(IReadOnlyList<string> Periods, int Closed, int InvoiceEvents);

/// <summary>Closes every account's statement of each period whose grace has passed, and sends each one's invoice-ready event.</summary>
/// <remarks>
/// Safe to run on several instances at once (the self-host's timer runs on each): a statement is inserted once per
/// account and period (<see cref="StatementStore.CloseAsync"/>), and its event is sent by whoever claims it under the
/// row's ETag. A run that finishes a period writes a mark so later ticks skip it; after the close instant nothing can
/// join a period's own statement, so the mark is final. An event can be sent twice only if a sender dies between
/// sending and marking; receivers deduplicate on <see cref="InvoiceReadyEvent.Id"/>.
/// </remarks>
public sealed partial class StatementCloser(
    StatementStore store,
    MeteringTables tables,
    StoragePipelines pipelines,
    TimeProvider timeProvider,
    IOptions<MeteringOptions> options,
    ILogger<StatementCloser> logger)
{
    // How long a claim to send an event keeps other closers off; a closer that died holding one is replaced after it.
    private static readonly TimeSpan InvoiceClaimLease = TimeSpan.FromMinutes(5);

    private static readonly JsonSerializerOptions EventJson = StatementStore.Json;

    /// <summary>How many periods back a run looks for one not yet closed: a closer stopped for months still closes them, oldest first.</summary>
    public const int CatchUpPeriods = 12;

    /// <summary>Closes, for every account, each period whose close instant has come and that no run has finished, oldest first.</summary>
    public async Task<CloseReport> CloseDueAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var latest = StatementCalendar.LatestDue(now, options.Value.StatementCloseGrace);
        var periods = new List<string>();
        var (closed, events) = (0, 0);
        // Runs finish periods in order, so the first finished one met going back means every earlier one is finished too.
        var due = new List<BillingPeriod>();
        for (var (period, i) = (latest, 0); i < CatchUpPeriods && !await store.IsRunDoneAsync(period, cancellationToken); (period, i) = (period.Previous(), i + 1))
        {
            due.Insert(0, period);
        }

        var accounts = due.Count == 0 ? [] : await store.AccountIdsAsync(cancellationToken);
        foreach (var period in due)
        {
            periods.Add(period.ToString());
            var statements = 0;
            foreach (var accountId in accounts)
            {
                var (made, sent, any) = await CloseAccountAsync(accountId, period, cancellationToken);
                closed += made ? 1 : 0;
                events += sent ? 1 : 0;
                statements += any ? 1 : 0;
            }

            await store.MarkRunDoneAsync(period, now, statements, cancellationToken);
            LogPeriodClosed(period.ToString(), statements);
        }

        return new CloseReport(periods, closed, events);
    }

    /// <summary>Closes one account's statement of <paramref name="period"/> if its close instant has come, and sends its event.</summary>
    /// <returns>The closed statement, or null when the period is still open or had nothing to bill.</returns>
    public async Task<Statement?> CloseAsync(string accountId, BillingPeriod period, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (!StatementCalendar.IsClosed(period, null, now, options.Value.StatementCloseGrace))
        {
            return null;
        }

        await CloseAccountAsync(accountId, period, cancellationToken);
        return (await store.ReadAsync(accountId, period, cancellationToken))?.Statement;
    }

    /// <summary>
    /// Closes one account's statement of <paramref name="period"/> on an operator's demand, as the timer would: only once
    /// its close instant has come, frozen as of that instant, with its invoice-ready event. Idempotent, and safe beside the
    /// timer on other instances (the statement is inserted once; the event is sent by whoever claims it).
    /// </summary>
    /// <remarks>A period the timer skips as finished is still closed here: its run mark is the timer's bookkeeping, not a rule.</remarks>
    public async Task<OnDemandClose> CloseOnDemandAsync(string accountId, BillingPeriod period, CancellationToken cancellationToken)
    {
        var grace = options.Value.StatementCloseGrace;
        var closeInstant = StatementCalendar.CloseInstant(period, grace);
        if (OnDemandCloseRule.Readiness(period, timeProvider.GetUtcNow(), grace) != CloseReadiness.Due)
        {
            return new OnDemandClose(CloseOutcome.NotDue, closeInstant, null);
        }

        var (closed, _, any) = await CloseAccountAsync(accountId, period, cancellationToken);
        if (!any)
        {
            return new OnDemandClose(CloseOutcome.NothingBilled, closeInstant, null);
        }

        var statement = (await store.ReadAsync(accountId, period, cancellationToken))?.Statement;
        return new OnDemandClose(closed ? CloseOutcome.Closed : CloseOutcome.AlreadyClosed, closeInstant, statement);
    }

    private async Task<(bool Closed, bool Sent, bool Any)> CloseAccountAsync(string accountId, BillingPeriod period, CancellationToken cancellationToken)
    {
        // The statement closed at its close instant, whenever this run comes: from then on billing puts late jobs and
        // voids on later statements, so what it holds was settled then, and closedAt says so (not the run's time).
        var closedAt = StatementCalendar.CloseInstant(period, options.Value.StatementCloseGrace);
        if (await store.CloseAsync(accountId, period, closedAt, cancellationToken) is not { } result)
        {
            return (false, false, false);
        }

        if (result.ClosedNow)
        {
            LogStatementClosed(accountId, period.ToString(), result.Statement.Statement.Lines.Count, result.Statement.Statement.Totals.AmountDueCredits);
        }

        var sent = await SendInvoiceReadyAsync(result.Statement, cancellationToken);
        return (result.ClosedNow, sent, true);
    }

    private async Task<bool> SendInvoiceReadyAsync(StoredStatement stored, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (await store.TryClaimInvoiceAsync(stored, now, InvoiceClaimLease, cancellationToken) is not { } claimed)
        {
            return false;
        }

        var message = JsonSerializer.Serialize(InvoiceReadyEvent.From(claimed.Statement), EventJson);
        await pipelines.Storage.ExecuteAsync(async ct => await tables.InvoiceReady.SendMessageAsync(message, ct), cancellationToken);
        await store.MarkInvoiceReadyAsync(claimed, timeProvider.GetUtcNow(), cancellationToken);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed the {Period} statement of account {AccountId}: {Lines} lines, {AmountDueCredits} credits due")]
    private partial void LogStatementClosed(string accountId, string period, int lines, decimal amountDueCredits);

    [LoggerMessage(Level = LogLevel.Information, Message = "Every account's {Period} is closed ({Statements} statements)")]
    private partial void LogPeriodClosed(string period, int statements);
}
