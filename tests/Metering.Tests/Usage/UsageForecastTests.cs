using CsCheck;
using UsageProcessor.Metering.Usage;

namespace UsageProcessor.Metering.Tests.Usage;

public sealed class UsageForecastTests
{
    private static readonly DateTimeOffset December = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset January = December.AddMonths(1);

    private static Forecast Project(DateTimeOffset now, decimal used, decimal? left, DateTimeOffset? paceFrom = null) =>
        UsageForecast.Project(new ForecastInput(December, January, paceFrom ?? December, now, used, left));

    // Worked cases: December has 31 days.
    // 1. Ten days in, 1,000 used: 100 a day; 21 days left → 1,000 + 2,100 = 3,100; 500 left lasts 5 days → Dec 16.
    // 2. The same pace with 5,000 left lasts 50 days, past the period: no run-out date.
    // 3. Account created on Dec 21, 1,000 used by Dec 31 00:00: 100 a day over 10 days, 1 day left → 1,100.
    // 4. 300 used in the first hour of the month: measured over at least a day → 300 a day, 300 + 300 × 30 + 300 × 23/24.
    [Theory]
    [InlineData("2026-11-11T00:00:00Z", null, "2026-11-11T00:00:00Z")]          // no usage yet: from creation
    [InlineData("2026-11-11T00:00:00Z", "2026-11-07", "2026-11-07T00:00:00Z")]  // late jobs ran before the account appeared
    [InlineData("2026-11-03T12:00:00Z", "2026-11-05", "2026-11-03T12:00:00Z")]  // first use after creation: from creation
    public void PaceFrom_CreationAndFirstUsageDay_IsTheEarlier(string createdAt, string? firstUsageDay, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            UsageForecast.PaceFrom(DateTimeOffset.Parse(createdAt, System.Globalization.CultureInfo.InvariantCulture),
                firstUsageDay is null ? null : DateOnly.Parse(firstUsageDay, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Project_TenDaysAtHundredADay_ProjectsThreeThousandHundredAndRunsOutOnTheSixteenth()
    {
        var forecast = Project(December.AddDays(10), 1000, 500);

        Assert.Equal(100m, forecast.CreditsPerDay);
        Assert.Equal(3100m, forecast.ProjectedCredits);
        Assert.Equal(December.AddDays(15), forecast.RunsOutAt);
        Assert.False(forecast.RunOut);
    }

    [Fact]
    public void Project_CreditsLastingPastThePeriod_HasNoRunOutDate()
    {
        var forecast = Project(December.AddDays(10), 1000, 5000);

        Assert.Null(forecast.RunsOutAt);
        Assert.Equal(3100m, forecast.ProjectedCredits);
    }

    [Fact]
    public void Project_AccountCreatedMidMonth_MeasuresThePaceFromCreation()
    {
        var forecast = Project(December.AddDays(30), 1000, null, paceFrom: December.AddDays(20));

        Assert.Equal(100m, forecast.CreditsPerDay);
        Assert.Equal(1100m, forecast.ProjectedCredits);
        Assert.Null(forecast.RunsOutAt);
    }

    [Fact]
    public void Project_FirstHourOfTheMonth_MeasuresOverAtLeastADay()
    {
        var forecast = Project(December.AddHours(1), 300, null);

        Assert.Equal(300m, forecast.CreditsPerDay);
        Assert.Equal(300m + (300m * 30) + (300m * 23 / 24), forecast.ProjectedCredits);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Project_NothingLeft_HasRunOut(int left)
    {
        var forecast = Project(December.AddDays(3), 900, left);

        Assert.True(forecast.RunOut);
        Assert.Null(forecast.RunsOutAt);
    }

    [Fact]
    public void Project_NoUsage_ProjectsZeroAndNeverRunsOut()
    {
        var forecast = Project(December.AddDays(3), 0, 100);

        Assert.Equal(0m, forecast.ProjectedCredits);
        Assert.Null(forecast.RunsOutAt);
        Assert.False(forecast.RunOut);
    }

    [Fact]
    public void Project_AccountCreatedAfterItsJobsCompleted_MeasuresFromThePeriodsStart()
    {
        var forecast = Project(January.AddDays(1), 3100, null, paceFrom: January.AddHours(1));

        Assert.Equal(100m, forecast.CreditsPerDay);
        Assert.Equal(3100m, forecast.ProjectedCredits);
    }

    [Fact]
    public void Project_AfterThePeriod_ProjectsWhatWasUsed()
    {
        var forecast = Project(January.AddDays(2), 1234.5m, 10);

        Assert.Equal(1234.5m, forecast.ProjectedCredits);
        Assert.Null(forecast.RunsOutAt);
    }

    private static readonly Gen<(int Seconds, decimal Used, decimal Left)> Inputs =
        Gen.Select(Gen.Int[1, 31 * 86_400 - 1], Gen.Int[0, 10_000_000], Gen.Int[0, 10_000_000], (s, u, l) => (s, u / 10m, l / 10m));

    [Fact]
    public void Project_AnyPace_ProjectsAtLeastWhatWasUsedAndRunsOutInsideThePeriodAfterNow() =>
        Inputs.Sample(i =>
        {
            var now = December.AddSeconds(i.Seconds);
            var forecast = Project(now, i.Used, i.Left);
            Assert.True(forecast.ProjectedCredits >= Math.Round(i.Used, 2) - 0.01m);
            if (forecast.RunsOutAt is { } at)
            {
                Assert.InRange(at, now, January);
                Assert.True(i.Left < forecast.ProjectedCredits - i.Used + 0.01m, "a run-out date means the projection passes the credits left");
            }
        });

    [Fact]
    public void Project_MoreUsedAtTheSameMoment_NeverProjectsLess() =>
        Inputs.Sample(i =>
        {
            var now = December.AddSeconds(i.Seconds);
            Assert.True(Project(now, i.Used + 1, null).ProjectedCredits >= Project(now, i.Used, null).ProjectedCredits);
        });
}
