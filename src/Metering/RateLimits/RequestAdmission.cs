using Azure.Data.Tables;
using UsageProcessor.Metering.Ledger;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.RateLimits;

/// <summary>The answer to "may this account make one more request now?".</summary>
public enum AdmissionStatus
{
    /// <summary>Admitted and counted.</summary>
    Admitted,

    /// <summary>The plan's limit is reached in the rolling window.</summary>
    RateLimited,

    /// <summary>A starter account with no credits left.</summary>
    NoCredits,

    /// <summary>The account does not exist.</summary>
    UnknownAccount,
}

/// <summary>The decision and what the rate-limit headers need.</summary>
/// <param name="Status">The decision.</param>
/// <param name="Plan">The account's plan, when known.</param>
/// <param name="Remaining">Requests left in the window after this one.</param>
/// <param name="Reset">How long until a place frees up (the window's oldest admission leaves it).</param>
public sealed record AdmissionDecision(AdmissionStatus Status, Plan? Plan, int Remaining, TimeSpan Reset);

/// <summary>Admits requests against the plan's per-minute limit, exactly, across any number of instances.</summary>
/// <remarks>
/// The account's admission row holds the sliding log and is replaced only under its ETag, so two instances can
/// never both take the last place in a window: the loser re-reads and sees the window full.
/// </remarks>
public sealed class RequestAdmission(MeteringTables tables, StoragePipelines pipelines, PlanCatalog plans, TimeProvider timeProvider)
{
    /// <summary>Counts one request for <paramref name="accountId"/>, or refuses it.</summary>
    public async Task<AdmissionDecision> AdmitAsync(string accountId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        // Another instance may admit a request first (409/412 on the window row): the contention pipeline reads the
        // window again; a race still lost after its retries surfaces as the conflict (503, Retry-After).
        return await pipelines.Contention.ExecuteAsync(async ct =>
        {
            var now = timeProvider.GetUtcNow();
            var period = BillingPeriod.Of(now);
            var accountTask = ReadAsync(accountId, LedgerKeys.Account, ct);
            var windowTask = ReadAsync(accountId, LedgerKeys.Admission, ct);
            var periodTask = ReadAsync(accountId, LedgerKeys.Period(period), ct);
            await Task.WhenAll(accountTask, windowTask, periodTask);
            if (accountTask.Result is not { } accountRow)
            {
                return new AdmissionDecision(AdmissionStatus.UnknownAccount, null, 0, TimeSpan.Zero);
            }

            var account = AccountState.FromEntity(accountRow);
            var plan = plans.TryGet(account.Plans.Current, out var p) ? p : plans.Default;
            var window = windowTask.Result?.GetBinary("Log") is { } log ? RateWindow.FromBytes(log) : RateWindow.Empty();
            window.Slide(now, Plan.RateWindow);

            if (!plan.UnlimitedCredits && !plan.AllowsOverage && CreditsLeft(account, period, periodTask.Result, now) <= 0)
            {
                return Decision(AdmissionStatus.NoCredits, plan, window, now);
            }

            if (plan.RateLimitPerMinute is not { } limit)
            {
                return new AdmissionDecision(AdmissionStatus.Admitted, plan, int.MaxValue, TimeSpan.Zero);
            }

            if (window.Count >= limit)
            {
                return Decision(AdmissionStatus.RateLimited, plan, window, now);
            }

            window.Admit(now);
            var row = new TableEntity(accountId, LedgerKeys.Admission) { ["Log"] = window.ToBytes(), ["UpdatedAt"] = now };
            await pipelines.Storage.ExecuteAsync(async inner =>
            {
                if (windowTask.Result?.ETag is { } etag)
                {
                    await tables.Ledger.UpdateEntityAsync(row, etag, TableUpdateMode.Replace, inner);
                }
                else
                {
                    await tables.Ledger.AddEntityAsync(row, inner);
                }
            }, ct);
            return Decision(AdmissionStatus.Admitted, plan, window, now);
        }, cancellationToken);
    }

    // Included credits granted earlier in the month (a pro stretch) still count, as they do when jobs are billed. Grant
    // credits count only while unexpired now, and a grant pays what the account owes before any of it is left, so an
    // account that owes more than it bought has nothing left and stays closed.
    private decimal CreditsLeft(AccountState account, BillingPeriod period, TableEntity? periodRow, DateTimeOffset now) =>
        Math.Max(0, account.Plans.IncludedCreditsFor(period, plans) - (periodRow?.GetDecimal("IncludedUsed") ?? 0)) + account.CreditsLeftAt(now);

    private static AdmissionDecision Decision(AdmissionStatus status, Plan plan, RateWindow window, DateTimeOffset now)
    {
        var limit = plan.RateLimitPerMinute ?? int.MaxValue;
        var reset = window.NextRelease(Plan.RateWindow) is { } release && release > now ? release - now : TimeSpan.Zero;
        return new AdmissionDecision(status, plan, Math.Max(0, limit - window.Count), reset);
    }

    private Task<TableEntity?> ReadAsync(string accountId, string rowKey, CancellationToken cancellationToken) =>
        tables.Ledger.ReadRowAsync(pipelines.Storage, accountId, rowKey, cancellationToken);
}
