using Microsoft.Extensions.Logging;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Credits;

/// <summary>Where the current month stands against an account's spend cap.</summary>
/// <param name="Cap">The cap; null for none.</param>
/// <param name="Period">The billing month.</param>
/// <param name="Measured">What the cap counts in the month so far (0 without a cap).</param>
public sealed record SpendCapStatus(SpendCap? Cap, BillingPeriod Period, decimal Measured)
{
    /// <summary>Whether admission refuses new requests for the rest of the month.</summary>
    public bool Reached => Cap is not null && Measured >= Cap.MonthlyCredits;
}

/// <summary>Sets, reads and removes an account's monthly spend cap on its account row, under the row's ETag like every other writer.</summary>
public sealed partial class SpendCaps(
    AccountPartition partition,
    TimeProvider timeProvider,
    ILogger<SpendCaps> logger)
{
    /// <summary>The largest cap accepted.</summary>
    public const decimal MaxMonthlyCredits = 1_000_000_000m;

    /// <summary>Sets the cap, or removes it when <paramref name="cap"/> is null; null when the account does not exist.</summary>
    /// <remarks>A cap set below what the month already used stops admission at once; it never un-bills a job.</remarks>
    public async Task<SpendCapStatus?> SetAsync(string accountId, SpendCap? cap, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        // Another writer (a commit, an admission, a purchase) may change the row first: the gateway re-runs the
        // read-decide-write; a race still lost after its retries surfaces as the conflict (503, Retry-After).
        var set = await partition.DecideAsync(
            accountId,
            async (rows, ct) => await rows.ReadAsync(LedgerKeys.Account, ct) is { } row ? AccountState.FromEntity(row) : null,
            (account, now) => Decide(account, cap, now),
            cancellationToken);
        if (!set)
        {
            return null;
        }

        LogCapSet(accountId, cap?.MonthlyCredits, cap?.AppliesTo.ToString());
        return await GetAsync(accountId, cancellationToken);
    }

    /// <summary>Decides a cap change: nothing for an unknown account or the same cap, else the account row with the new cap. Pure.</summary>
    internal static PartitionDecision<bool> Decide(AccountState? account, SpendCap? cap, DateTimeOffset now)
    {
        if (account is null)
        {
            return new(false);
        }

        if (account.SpendCap == cap)
        {
            return new(true);
        }

        account.SpendCap = cap;
        account.UpdatedAt = now;
        var transaction = new LedgerTransaction(account.AccountId);
        transaction.Save(account.ToEntity(), account.ETag);
        return new(true, transaction);
    }

    /// <summary>The cap and the month's measure; null when the account does not exist.</summary>
    public async Task<SpendCapStatus?> GetAsync(string accountId, CancellationToken cancellationToken)
    {
        if (await partition.ReadRowAsync(accountId, LedgerKeys.Account, cancellationToken) is not { } row)
        {
            return null;
        }

        var account = AccountState.FromEntity(row);
        var period = BillingPeriod.Of(timeProvider.GetUtcNow());
        if (account.SpendCap is not { } cap)
        {
            return new SpendCapStatus(null, period, 0);
        }

        var figures = PeriodFigures.For(account, period);
        if (figures is null)
        {
            var balance = await partition.ReadRowAsync(accountId, LedgerKeys.Period(period), cancellationToken);
            figures = balance is null ? new PeriodFigures(period.ToString(), 0, 0, 0) : PeriodBalance.FromEntity(balance, period).Figures();
        }

        return new SpendCapStatus(cap, period, SpendCapRule.Measure(cap, figures.UsedCredits, figures.OverageCredits));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Spend cap of {AccountId} set to {MonthlyCredits} ({AppliesTo}; none when empty)")]
    private partial void LogCapSet(string accountId, decimal? monthlyCredits, string? appliesTo);
}
