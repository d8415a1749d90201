using UsageProcessor.Metering.Configuration;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Billing;

/// <summary>When a period's statement closes, and which statement bills a job. Pure: the time is an argument.</summary>
/// <remarks>
/// A period closes <c>grace</c> after it ends: at <c>End + grace</c> exactly it is closed, one tick before it is open.
/// A job of a closed period is still billed (the work was done) but on the statement of the period it was billed in,
/// which is always open (it has not ended), as a prior-period line naming its own period.
/// </remarks>
public static class StatementCalendar
{
    /// <summary>The grace after a month ends before its statements close, unless configured.</summary>
    public static readonly TimeSpan DefaultCloseGrace = MeteringOptions.DefaultStatementCloseGrace;

    /// <summary>The first instant at which <paramref name="period"/> is closed.</summary>
    public static DateTimeOffset CloseInstant(BillingPeriod period, TimeSpan grace) => InstantMath.AddSaturating(period.End, grace);

    /// <summary>Whether <paramref name="period"/> is closed at <paramref name="now"/>: its close instant has come, or a closer already froze it.</summary>
    public static bool IsClosed(BillingPeriod period, DateTimeOffset? closedAt, DateTimeOffset now, TimeSpan grace) =>
        closedAt is not null || now >= CloseInstant(period, grace);

    /// <summary>The period whose statement bills a job of <paramref name="jobPeriod"/> billed at <paramref name="now"/>, or null for its own.</summary>
    public static BillingPeriod? StatementPeriodFor(BillingPeriod jobPeriod, DateTimeOffset? closedAt, DateTimeOffset now, TimeSpan grace)
    {
        if (!IsClosed(jobPeriod, closedAt, now, grace))
        {
            return null;
        }

        var billing = BillingPeriod.Of(now);
        return billing > jobPeriod ? billing : jobPeriod.Next();
    }

    /// <summary>The latest period whose close instant is at or before <paramref name="now"/>.</summary>
    public static BillingPeriod LatestDue(DateTimeOffset now, TimeSpan grace) => BillingPeriod.Of(now - grace).Previous();
}
