using UsageProcessor.Metering.Billing;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Statements;

/// <summary>Whether an operator may close a period now. Pure: the time is an argument.</summary>
public enum CloseReadiness
{
    /// <summary>The month has not begun: it has no statement to close.</summary>
    Future,

    /// <summary>The month has begun but its close instant has not come: jobs may still join its statement.</summary>
    Open,

    /// <summary>The close instant has come (or passed): the statement is settled and may be frozen.</summary>
    Due,
}

/// <summary>What one on-demand close found or did.</summary>
public enum CloseOutcome
{
    /// <summary>This call froze the statement (and sent its invoice-ready event).</summary>
    Closed,

    /// <summary>The statement was already frozen (by the timer, a read or an earlier close); nothing changed.</summary>
    AlreadyClosed,

    /// <summary>The period billed nothing: no statement is stored, as for every empty month.</summary>
    NothingBilled,

    /// <summary>The close instant has not come; nothing was done.</summary>
    NotDue,
}

/// <summary>The answer of <see cref="StatementCloser.CloseOnDemandAsync"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="CloseInstant">When the period closes (or closed).</param>
/// <param name="Statement">The frozen statement; null unless <see cref="CloseOutcome.Closed"/> or <see cref="CloseOutcome.AlreadyClosed"/>.</param>
public sealed record OnDemandClose(CloseOutcome Outcome, DateTimeOffset CloseInstant, Statement? Statement);

/// <summary>The rule of closing a period on demand: only from its close instant on, the same instant the timer waits for.</summary>
/// <remarks>
/// Closing earlier would freeze a statement that late-arriving jobs of the month must still join; closing at or after
/// the close instant is exactly what the timer does, so an operator's close and the timer's cannot disagree.
/// </remarks>
public static class OnDemandCloseRule
{
    /// <summary>Whether <paramref name="period"/> may be closed at <paramref name="now"/> with close grace <paramref name="grace"/>.</summary>
    public static CloseReadiness Readiness(BillingPeriod period, DateTimeOffset now, TimeSpan grace) =>
        period > BillingPeriod.Of(now) ? CloseReadiness.Future
        : StatementCalendar.IsClosed(period, null, now, grace) ? CloseReadiness.Due
        : CloseReadiness.Open;
}
