namespace UsageProcessor.Metering.Usage;

/// <summary>What a forecast starts from: the period, the moment, the usage so far and the credits that can run out.</summary>
/// <param name="PeriodStart">The start of the billing period.</param>
/// <param name="PeriodEnd">The end of the billing period (exclusive).</param>
/// <param name="PaceFrom">When the pace is measured from: the period's start, or if later the account's creation (or its first day of usage, if earlier: <see cref="UsageForecast.PaceFrom"/>).</param>
/// <param name="Now">The moment of the forecast.</param>
/// <param name="UsedCredits">Credits used in the period so far.</param>
/// <param name="CreditsLeft">The credits that can run out (included on pro; included and wallet on starter); null when nothing can (enterprise).</param>
public sealed record ForecastInput(
    DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, DateTimeOffset PaceFrom, DateTimeOffset Now, decimal UsedCredits, decimal? CreditsLeft);

/// <summary>The forecast: credits per day at the current pace, the projected period total, and when the credits left run out.</summary>
/// <param name="CreditsPerDay">The pace so far, in credits per day (rounded to 4 places; an estimate).</param>
/// <param name="ProjectedCredits">The period's total if the pace holds (rounded to 2 places; an estimate).</param>
/// <param name="RunsOutAt">When the credits left are used up at this pace; null when they last past the period's end or nothing can run out.</param>
/// <param name="RunOut">Whether the credits left are already used up.</param>
public sealed record Forecast(decimal CreditsPerDay, decimal ProjectedCredits, DateTimeOffset? RunsOutAt, bool RunOut);

/// <summary>Projects a period's usage at its current pace (straight line from <see cref="ForecastInput.PaceFrom"/> to now).</summary>
/// <remarks>
/// The pace is measured over at least one day, so an account whose first jobs arrived minutes ago is not projected as
/// if those minutes repeated all month: a burst on day one counts as that day's usage.
/// </remarks>
public static class UsageForecast
{
    private const decimal SecondsPerDay = 86_400m;

    /// <summary>The shortest span a pace is measured over.</summary>
    public static readonly TimeSpan MinimumPaceSpan = TimeSpan.FromDays(1);

    /// <summary>
    /// When a period's pace is measured from: the account's creation, or the start of the first day with usage if that is
    /// earlier (jobs may arrive late, so an account created by its first late jobs was in use before it existed here).
    /// </summary>
    public static DateTimeOffset PaceFrom(DateTimeOffset accountCreatedAt, DateOnly? firstUsageDay)
    {
        if (firstUsageDay is not { } day)
        {
            return accountCreatedAt;
        }

        var dayStart = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return dayStart < accountCreatedAt ? dayStart : accountCreatedAt;
    }

    /// <summary>The forecast of <paramref name="input"/>.</summary>
    public static Forecast Project(ForecastInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var runOut = input.CreditsLeft is <= 0;
        var now = input.Now < input.PeriodStart ? input.PeriodStart : input.Now > input.PeriodEnd ? input.PeriodEnd : input.Now;
        // An account created after its jobs completed (late jobs, or a past period) is measured from the period's start.
        var from = input.PaceFrom < input.PeriodStart || input.PaceFrom > now ? input.PeriodStart : input.PaceFrom;
        var elapsed = (decimal)(now - from).TotalSeconds;
        if (elapsed <= 0 || input.UsedCredits <= 0)
        {
            return new Forecast(0, Math.Max(0, input.UsedCredits), null, runOut);
        }

        var perSecond = input.UsedCredits / Math.Max(elapsed, (decimal)MinimumPaceSpan.TotalSeconds);
        var left = (decimal)(input.PeriodEnd - now).TotalSeconds;
        var projected = Math.Round(input.UsedCredits + (perSecond * left), 2, MidpointRounding.AwayFromZero);
        DateTimeOffset? runsOutAt = null;
        if (!runOut && input.CreditsLeft is { } credits)
        {
            var seconds = credits / perSecond;
            if (seconds < left)
            {
                runsOutAt = now.AddSeconds((double)Math.Round(seconds, 0, MidpointRounding.AwayFromZero));
            }
        }

        return new Forecast(Math.Round(perSecond * SecondsPerDay, 4, MidpointRounding.AwayFromZero), projected, runsOutAt, runOut);
    }
}
