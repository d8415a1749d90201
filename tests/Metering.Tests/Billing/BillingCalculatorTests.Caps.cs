using CsCheck;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Billing;

namespace UsageProcessor.Metering.Tests.Billing;

// The calculator's spend-cap, reservation and running-balance steps: worked cases, then properties.
public sealed partial class BillingCalculatorTests
{
    private static BillingState Capped(string plan, decimal monthlyCredits, SpendCapBasis basis = SpendCapBasis.Credits, decimal includedUsed = 0, decimal walletGranted = 0)
    {
        var state = StateOn(plan, includedUsed, walletGranted);
        state.Account!.SpendCap = new SpendCap(monthlyCredits, basis);
        return state;
    }

    [Fact]
    public void Bill_CappedAccountCrossingItsCap_BillsEveryJobFlagsThosePastItAndAlertsOnce()
    {
        // 60 credits a job against a cap of 100: the second job brings the month to 120, past the cap.
        var first = Bill(Capped("pro", 100m), Job("a", 15));
        var second = Bill(first.State, Job("b", 15), Job("c", 15));

        Assert.Equal(180m, second.State.Periods[November].UsedCredits);
        Assert.Equal([false], first.Jobs.Select(j => j.Record!.PastSpendCap));
        Assert.Equal([true, true], second.Jobs.Select(j => j.Record!.PastSpendCap));
        var reached = Assert.Single(second.RaisedAlerts, a => a.Kind == AlertKinds.SpendCapReached);
        Assert.Equal(("b", 100m, 120m, "0"), (reached.JobId, reached.Threshold, reached.Value, reached.ThresholdKey));
        Assert.DoesNotContain(first.RaisedAlerts, a => a.Kind == AlertKinds.SpendCapReached);
        Assert.Contains(SpendCapRule.MarkerKey, second.State.Periods[November].RaisedAlerts);
    }

    [Fact]
    public void Bill_JobEndingExactlyAtTheCap_AlertsButIsNotPastIt()
    {
        var result = Bill(Capped("pro", 60m), Job("a", 15));

        Assert.False(result.Jobs[0].Record!.PastSpendCap);
        Assert.Single(result.RaisedAlerts, a => a.Kind == AlertKinds.SpendCapReached);
    }

    [Fact]
    public void Bill_OverageCap_CountsOnlyOverageCredits()
    {
        // 20 included credits left: the 60-credit job is 40 overage, which passes a 30-credit overage cap.
        var result = Bill(Capped("pro", 30m, SpendCapBasis.Overage, includedUsed: 99_980m), Job("a", 15));

        Assert.Equal(40m, result.Jobs[0].Record!.OverageCredits);
        Assert.True(result.Jobs[0].Record!.PastSpendCap);
        Assert.Equal(40m, Assert.Single(result.RaisedAlerts, a => a.Kind == AlertKinds.SpendCapReached).Value);
    }

    [Fact]
    public void Bill_JobOfAReservedRequest_SettlesItsReservationOnlyAndDropsExpiredOnes()
    {
        var state = StateOn("starter");
        state.Account!.Reservations.AddRange(
        [
            new Reservation("a", 80m, Now.AddMinutes(5)),
            new Reservation("other", 8m, Now.AddMinutes(5)),
            new Reservation("stale", 8m, Now),
        ]);

        var result = Bill(state, Job("a", 15));

        Assert.Equal(["other"], result.State.Account!.Reservations.Select(r => r.RequestId));
        Assert.Equal(3, state.Account.Reservations.Count); // the input is left as it was
    }

    [Fact]
    public void Bill_AnyBatch_KeepsTheLatestPeriodsFiguresOnTheAccountAndCountsTheCommit() =>
        AnyBatch.Sample(b =>
        {
            var result = Calculator.Bill(b.State, b.Jobs, Now);
            var figures = result.State.Account!.LatestPeriod;
            var november = result.State.Periods[November];
            return result.State.Account.BalanceSequence == b.State.Account!.BalanceSequence + 1
                && (b.Jobs.Length == 0 ? figures == b.State.Account.LatestPeriod : figures == november.Figures());
        }, iter: Iterations);

    [Fact]
    public void Bill_AnyBatchOnACappedAccount_FlagsExactlyTheJobsPastTheCapAndAlertsAtMostOnce() =>
        Gen.Select(AnyBatch, Gen.Int[1, 3_000], Gen.Int[0, 40]).Sample(t =>
        {
            var ((state, drawn), cap, cut) = t;
            state.Account!.SpendCap = new SpendCap(cap, SpendCapBasis.Credits);
            var jobs = Distinct(drawn).ToArray();
            cut = Math.Min(cut, jobs.Length);
            var first = Calculator.Bill(state, jobs[..cut], Now);
            var second = Calculator.Bill(first.State, jobs[cut..], Now);
            var billed = first.Jobs.Concat(second.Jobs).ToList();
            var running = 0m;
            var flagsRight = billed.All(j =>
            {
                running += j.Job.Quote.Credits;
                return j.Record!.PastSpendCap == running > cap;
            });
            var alerts = billed.SelectMany(j => j.RaisedAlerts).Count(a => a.Kind == AlertKinds.SpendCapReached);
            return flagsRight && alerts == (running >= cap ? 1 : 0);
        }, iter: Iterations);

    [Fact]
    public void Bill_AnyBatchWithReservations_LeavesExactlyTheUnbilledUnexpiredOnes() =>
        Gen.Select(AnyBatch, Gen.Select(Gen.Int[0, 30], Gen.Int[-120, 120]).Array[0, 10]).Sample(t =>
        {
            var ((state, jobs), reserved) = t;
            var reservations = reserved.DistinctBy(r => r.Item1).Select(r => new Reservation($"j{r.Item1}", 5m, Now.AddSeconds(r.Item2))).ToList();
            state.Account!.Reservations.AddRange(reservations);
            var result = Calculator.Bill(state, jobs, Now);
            var billedIds = jobs.Select(j => j.Job.JobId).ToHashSet();
            var expected = reservations.Where(r => !billedIds.Contains(r.RequestId) && r.ActiveAt(Now)).Select(r => r.RequestId);
            return result.State.Account!.Reservations.Select(r => r.RequestId).SequenceEqual(expected);
        }, iter: Iterations);
}
