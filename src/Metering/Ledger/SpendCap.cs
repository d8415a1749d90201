using System.Text.Json.Serialization;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Ledger;

/// <summary>What a spend cap counts.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SpendCapBasis>))]
public enum SpendCapBasis
{
    /// <summary>Every credit billed in the month.</summary>
    Credits,

    /// <summary>Only overage credits (plans that allow overage).</summary>
    Overage,
}

/// <summary>An account's monthly spend cap: admission refuses new requests once the month's measure reaches it.</summary>
/// <param name="MonthlyCredits">The cap, in credits per billing month.</param>
/// <param name="AppliesTo">What the cap counts.</param>
public sealed record SpendCap(decimal MonthlyCredits, SpendCapBasis AppliesTo);

/// <summary>The spend-cap rules. Pure: the calculator calls them per job, admission before counting a request.</summary>
public static class SpendCapRule
{
    /// <summary>The marker key of the one <c>spend-cap-reached</c> alert of a period.</summary>
    public static readonly string MarkerKey = $"{AlertKinds.SpendCapReached}|0";

    /// <summary>What <paramref name="cap"/> counts in a period with these totals.</summary>
    public static decimal Measure(SpendCap cap, decimal usedCredits, decimal overageCredits)
    {
        ArgumentNullException.ThrowIfNull(cap);
        return cap.AppliesTo == SpendCapBasis.Overage ? overageCredits : usedCredits;
    }

    /// <summary>What <paramref name="cap"/> counts in <paramref name="period"/>.</summary>
    public static decimal Measure(SpendCap cap, PeriodBalance period)
    {
        ArgumentNullException.ThrowIfNull(period);
        return Measure(cap, period.UsedCredits, period.OverageCredits);
    }

    /// <summary>Whether a job that left the measure at <paramref name="after"/> went past the cap (part of its credits lie beyond it).</summary>
    public static bool PastCap(SpendCap? cap, decimal after) => cap is not null && after > cap.MonthlyCredits;

    /// <summary>The <c>spend-cap-reached</c> alert a job raises: when it brings the measure to the cap, once per period.</summary>
    public static UsageAlert? Evaluate(SpendCap? cap, decimal before, decimal after, IReadOnlySet<string> alreadyRaised, AlertContext context)
    {
        ArgumentNullException.ThrowIfNull(alreadyRaised);
        ArgumentNullException.ThrowIfNull(context);
        if (cap is null || before >= cap.MonthlyCredits || after < cap.MonthlyCredits || alreadyRaised.Contains(MarkerKey))
        {
            return null;
        }

        return new UsageAlert
        {
            AlertId = UsageAlert.IdFor(context.AccountId, context.Period, AlertKinds.SpendCapReached, "0"),
            AccountId = context.AccountId,
            Period = context.Period,
            Kind = AlertKinds.SpendCapReached,
            Threshold = cap.MonthlyCredits,
            ThresholdKey = "0",
            Value = after,
            JobId = context.JobId,
            RaisedAt = context.Now,
        };
    }
}

/// <summary>Credits set aside for one admitted request until its job-completed message settles them, or they expire.</summary>
/// <param name="RequestId">The request's id: the job id its job-completed message will carry.</param>
/// <param name="Credits">The quoted credits.</param>
/// <param name="ExpiresAt">When the reservation stops counting if no job settled it.</param>
public sealed record Reservation(string RequestId, decimal Credits, DateTimeOffset ExpiresAt)
{
    /// <summary>Whether the reservation still counts at <paramref name="now"/>.</summary>
    public bool ActiveAt(DateTimeOffset now) => now < ExpiresAt;
}

/// <summary>The totals of the latest billed period, kept on the account row so admission reads one row.</summary>
/// <param name="Period">The billing period (YYYY-MM).</param>
/// <param name="UsedCredits">Credits billed in it.</param>
/// <param name="IncludedUsed">Included credits taken in it.</param>
/// <param name="OverageCredits">Overage credits in it.</param>
public sealed record PeriodFigures(string Period, decimal UsedCredits, decimal IncludedUsed, decimal OverageCredits)
{
    /// <summary>The figures of <paramref name="balance"/>.</summary>
    public static PeriodFigures Of(PeriodBalance balance)
    {
        ArgumentNullException.ThrowIfNull(balance);
        return new(balance.Period.ToString(), balance.UsedCredits, balance.IncludedUsed, balance.OverageCredits);
    }

    /// <summary>The figures of <paramref name="period"/> as known on <paramref name="account"/>: zero when the latest billed period is earlier; null when the account row cannot tell (a row written before it kept them, or a later period).</summary>
    public static PeriodFigures? For(AccountState account, BillingPeriod period)
    {
        ArgumentNullException.ThrowIfNull(account);
        var name = period.ToString();
        return account.LatestPeriod switch
        {
            null => null,
            var latest when latest.Period == name => latest,
            var latest when string.CompareOrdinal(latest.Period, name) < 0 => new PeriodFigures(name, 0, 0, 0),
            _ => null,
        };
    }
}

/// <summary>Keeps <see cref="AccountState.LatestPeriod"/> in step with the period rows a commit writes.</summary>
internal static class LatestPeriodRule
{
    /// <summary>Records <paramref name="balance"/> when it is the latest period the row can vouch for.</summary>
    public static void Track(AccountState account, PeriodBalance balance, DateTimeOffset now)
    {
        var name = balance.Period.ToString();
        var latest = account.LatestPeriod;
        // A row that never kept the figures vouches only for the current period: an earlier one may not be the latest.
        var track = latest is null
            ? string.CompareOrdinal(name, BillingPeriod.Of(now).ToString()) >= 0
            : string.CompareOrdinal(name, latest.Period) >= 0;
        if (track)
        {
            account.LatestPeriod = PeriodFigures.Of(balance);
        }
    }
}
