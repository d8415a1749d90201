using CsCheck;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Statements;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Statements;

public sealed class StatementBuilderTests
{
    private static readonly BillingPeriod December = BillingPeriod.TryParse("2026-12", out var p) ? p : default;

    internal static UsageRecord Record(
        string jobId,
        decimal credits,
        string period = "2026-12",
        string domain = "document.invoice",
        string? detail = "lo",
        decimal included = 0,
        decimal wallet = 0,
        decimal overage = 0,
        decimal owed = 0,
        int units = 1,
        string tier = "standard") => new()
        {
            AccountId = "acct-st",
            JobId = jobId,
            CompletedAt = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero),
            Period = period,
            Domain = domain,
            Family = domain.Split('.')[0],
            Detail = detail,
            ServiceTier = tier,
            Credits = credits,
            Unit = "page",
            Units = units,
            BasePerUnit = credits,
            Multiplier = 1,
            Rule = "FamilyDetail",
            PriceBook = "2026-11",
            Plan = "pro",
            IncludedCredits = included,
            WalletCredits = wallet,
            OverageCredits = overage,
            OwedCredits = owed,
            BilledAt = new DateTimeOffset(2026, 12, 2, 10, 0, 1, TimeSpan.Zero),
            Fingerprint = "f-" + jobId,
        };

    [Fact]
    public void Build_FailedAndPartialJobs_GetUsageLinesOfTheirOwnNamingTheOutcome()
    {
        var own = new[]
        {
            Record("ok", 20m, units: 10, wallet: 20m),
            Record("failed", 0m, units: 0) with { Outcome = JobOutcome.Failed },
            Record("partial", 8m, units: 4, wallet: 8m) with { Outcome = JobOutcome.Partial, ProcessedUnits = 4 },
        };

        var statement = StatementBuilder.Build("acct-st", December, null, own, []);

        var usage = statement.Lines.Where(l => l.Kind == StatementLineKinds.Usage).Select(l => (l.Outcome, l.Jobs, l.Units, l.Credits));
        Assert.Equal([(null, 1L, 10L, 20m), ("failed", 1L, 0L, 0m), ("partial", 1L, 4L, 8m)], usage);
        var wallet = Assert.Single(statement.Lines, l => l.Kind == StatementLineKinds.Wallet);
        Assert.Equal((null, 2L, 28m), (wallet.Outcome, wallet.Jobs, wallet.Credits));
        Assert.Equal(3, statement.Totals.Jobs);
    }

    [Fact]
    public void ToCsv_LineOfFailedJobs_HasItsOutcomeInTheLastColumn()
    {
        var statement = StatementBuilder.Build("acct-st", December, null, [Record("failed", 0m, units: 0) with { Outcome = JobOutcome.Failed }], []);

        var rows = StatementExportFormat.ToCsv([statement]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.EndsWith(",usd,outcome", rows[0], StringComparison.Ordinal);
        Assert.EndsWith(",0,0,failed", rows[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, false)] // a draft: a voided job is not billed
    [InlineData("2026-12-02T10:00:01Z", false)] // closed after the void: not on it
    [InlineData("2026-12-02T10:00:00Z", true)] // closed at the void's instant: the void counts as after the close
    [InlineData("2026-12-02T09:59:59Z", true)] // closed before the void: it stays, a closed statement never changes
    public void Build_VoidedJob_IsOnTheStatementOnlyWhenItClosedBeforeTheVoid(string? closedAt, bool listed)
    {
        var voidedAt = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
        var closed = closedAt is null ? (DateTimeOffset?)null : DateTimeOffset.Parse(closedAt, System.Globalization.CultureInfo.InvariantCulture);
        var voided = Record("v", 4m, overage: 4m) with { Voided = true, VoidedAt = voidedAt };

        var statement = StatementBuilder.Build("acct-st", December, closed, [Record("a", 1m, overage: 1m), voided], []);

        Assert.Equal(listed ? 5m : 1m, statement.Totals.UsageCredits);
        Assert.Equal(listed ? 2 : 1, statement.Totals.Jobs);
    }

    [Fact]
    public void Build_JobVoidedAfterItsStatementClosed_IsACorrectionLineGivingBackWhatWasDue()
    {
        var voided = Record("v", 10m, period: "2026-11", included: 4m, owed: 6m) with { Voided = true, VoidedAt = new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero) };

        var statement = StatementBuilder.Build("acct-st", December, null, [Record("a", 2m, owed: 2m)], [], [voided]);

        var correction = Assert.Single(statement.Lines, l => l.Kind == StatementLineKinds.Correction);
        Assert.Equal(("2026-11", 1L, -6m, -0.06m), (correction.Period, correction.Jobs, correction.Credits, correction.Usd));
        Assert.Equal((2m, -6m, -4m), (statement.Totals.UsageCredits, statement.Totals.CorrectionCredits, statement.Totals.AmountDueCredits));
    }

    [Fact]
    public void Totals_ThreeLinesOfHalfACent_RoundTheSumOnceToTwoCents()
    {
        // Three lines of 0.005 USD: rounded per line they would make 0.03; the exact sum 0.015 rounds to 0.02.
        var records = new[]
        {
            Record("a", 0.5m, detail: "lo", overage: 0.5m),
            Record("b", 0.5m, detail: "auto", overage: 0.5m),
            Record("c", 0.5m, detail: "hi", overage: 0.5m),
        };

        var statement = StatementBuilder.Build("acct-st", December, null, records, []);

        var usage = statement.Lines.Where(l => l.Kind == StatementLineKinds.Usage).ToList();
        Assert.Equal(3, usage.Count);
        Assert.All(usage, l => Assert.Equal(0.005m, l.Usd));
        Assert.Equal(1.5m, statement.Totals.UsageCredits);
        Assert.Equal(0.02m, statement.Totals.UsageUsd);
        Assert.Equal(0.02m, statement.Totals.AmountDueUsd);
        Assert.Equal(1.5m, statement.Totals.AmountDueCredits);
    }

    [Fact]
    public void Build_JobSplitOverIncludedWalletAndOverage_GivesAUsageLineThenOneSettlementLinePerPart()
    {
        var statement = StatementBuilder.Build("acct-st", December, null, [Record("a", 10m, included: 6m, wallet: 3m, overage: 1m, units: 5)], []);

        Assert.Equal(
            [(StatementLineKinds.Usage, 10m, (long?)5), (StatementLineKinds.Included, 6m, null), (StatementLineKinds.Wallet, 3m, null), (StatementLineKinds.Overage, 1m, null)],
            statement.Lines.Select(l => (l.Kind, l.Credits, l.Units)));
        Assert.Equal([1, 2, 3, 4], statement.Lines.Select(l => l.Line));
        Assert.Equal(new StatementTotals(1, 10m, 0.1m, 0, 6m, 0, 3m, 1m, 0, 0, 1m, 0.01m), statement.Totals);
        Assert.Equal(Statement.Draft, statement.Status);
        Assert.Contains("rounded once to the cent, half away from zero", statement.Rounding, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_LateJobOfAClosedPeriod_IsAPriorPeriodLineNamingItsPeriodAfterTheOwnUsage()
    {
        var closedAt = new DateTimeOffset(2027, 1, 4, 0, 0, 0, TimeSpan.Zero);

        var statement = StatementBuilder.Build("acct-st", December, closedAt,
            [Record("own", 2m, owed: 2m)], [Record("late", 4m, period: "2026-11", owed: 4m)]);

        Assert.Equal(
            [(StatementLineKinds.Usage, "2026-12"), (StatementLineKinds.PriorPeriodUsage, "2026-11"), (StatementLineKinds.Owed, "2026-11"), (StatementLineKinds.Owed, "2026-12")],
            statement.Lines.Select(l => (l.Kind, l.Period)));
        Assert.Equal(4m, statement.Totals.PriorPeriodCredits);
        Assert.Equal(6m, statement.Totals.UsageCredits);
        Assert.Equal(6m, statement.Totals.AmountDueCredits);
        Assert.Equal(Statement.Closed, statement.Status);
        Assert.Equal(closedAt, statement.ClosedAt);
    }

    [Fact]
    public void Build_JobPaidByTwoGrants_GivesOneGrantLinePerGrantAndNoWalletLine()
    {
        var record = Record("g", 10m, wallet: 7m, owed: 3m) with
        {
            Draws = [new CreditDraw(CreditDraw.Grant, 4m, "promo-1"), new CreditDraw(CreditDraw.Grant, 3m, "sign-up"), new CreditDraw(CreditDraw.Owed, 3m)],
        };

        var statement = StatementBuilder.Build("acct-st", December, null, [record], []);

        Assert.Equal(
            [(StatementLineKinds.Usage, null, 10m), (StatementLineKinds.Grant, "promo-1", 4m), (StatementLineKinds.Grant, "sign-up", 3m), (StatementLineKinds.Owed, null, 3m)],
            statement.Lines.Select(l => (l.Kind, l.Grant, l.Credits)));
        Assert.Equal((7m, 0m, 3m), (statement.Totals.GrantCredits, statement.Totals.WalletCredits, statement.Totals.AmountDueCredits));
    }

    [Fact]
    public void Build_JobsOfOneGroup_AreOneLineSummingJobsUnitsAndCredits()
    {
        var statement = StatementBuilder.Build("acct-st", December, null, [Record("a", 2m, units: 2), Record("b", 3m, units: 3)], []);

        var line = Assert.Single(statement.Lines);
        Assert.Equal((2L, (long?)5, 5m, 0.05m), (line.Jobs, line.Units, line.Credits, line.Usd));
    }

    [Fact]
    public void Build_AnyRecordsInAnyOrder_SameLinesAndExactTotals()
    {
        var gen = Gen.Select(Gen.OneOf("document.invoice", "image.photo", "audio.call"), Gen.OneOf<string?>(null, "lo", "hi"),
                Gen.Int[0, 4000], Gen.Int[0, 3], Gen.Bool, Gen.Int[1, 9])
            .Select((domain, detail, milli, shares, late, units) => (domain, detail, credits: milli / 1000m, shares, late, units))
            .Array[0, 30];
        gen.Sample(jobs =>
        {
            var records = jobs.Select((j, i) =>
            {
                // Split the credits over included / wallet / overage / owed by a few shares, as the calculator would.
                var included = j.shares >= 1 ? Math.Round(j.credits / 2, 3) : 0;
                var wallet = j.shares >= 2 ? Math.Round((j.credits - included) / 2, 3) : 0;
                var rest = j.credits - included - wallet;
                return (j.late, record: Record($"j{i}", j.credits, period: j.late ? "2026-11" : "2026-12", domain: j.domain, detail: j.detail,
                    included: included, wallet: wallet, overage: j.shares == 3 ? rest : 0, owed: j.shares == 3 ? 0 : rest, units: j.units));
            }).ToList();
            var own = records.Where(r => !r.late).Select(r => r.record).ToList();
            var late = records.Where(r => r.late).Select(r => r.record).ToList();

            var a = StatementBuilder.Build("acct-st", December, null, own, late);
            var b = StatementBuilder.Build("acct-st", December, null, Enumerable.Reverse(own), Enumerable.Reverse(late));

            var all = records.Select(r => r.record).ToList();
            var t = a.Totals;
            return a.Lines.SequenceEqual(b.Lines) && a.Totals == b.Totals
                && t.UsageCredits == all.Sum(r => r.Credits)
                && t.IncludedCredits + t.WalletCredits + t.OverageCredits + t.OwedCredits == all.Sum(r => r.Credits)
                && t.AmountDueCredits == all.Sum(r => r.OverageCredits + r.OwedCredits)
                && t.UsageUsd == Money.RoundUsdForDisplay(all.Sum(r => r.Credits) / 100m)
                && t.Jobs == all.Count
                && a.Lines.All(l => l.Usd * 100m == l.Credits);
        });
    }
}
