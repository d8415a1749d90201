using CsCheck;
using UsageProcessor.Metering.Accounts;

namespace UsageProcessor.Metering.Tests.Accounts;

/// <summary>The automatic top-up rules without storage: once per crossing, one pending at a time, the monthly maximum; then a property.</summary>
public sealed class TopUpRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly AutoTopUp Settings = new(Threshold: 100, Target: 500, MonthlyMaximum: 1000);

    public static TheoryData<string, decimal?, decimal?, bool> Crossings => new()
    {
        { "from above to below", 120, 90, true },
        { "from exactly the threshold to below", 100, 99.9999m, true },
        { "to exactly the threshold", 120, 100, false },
        { "already below", 90, 80, false },
        { "staying above", 300, 200, false },
        { "unlimited (no figure)", null, null, false },
    };

    [Theory]
    [MemberData(nameof(Crossings))]
    public void Decide_SpendableMoves_RequestsOnlyWhenItCrossesBelowTheThreshold(string asked, decimal? before, decimal? after, bool requests)
    {
        _ = asked;

        var decided = TopUpRules.Decide(Settings, before, after, Now);

        Assert.Equal(requests, decided is not null);
    }

    [Fact]
    public void Decide_Crossing_AsksForWhatReachesTheTargetUnderANewReferenceAndMarksItPending()
    {
        var (request, after) = TopUpRules.Decide(Settings with { Requests = 4 }, 120, 90, Now)!.Value;

        Assert.Equal(new TopUpRequest("topup-2026-12-5", 410), request);
        Assert.Equal(("topup-2026-12-5", 410m, Now, "2026-12", 410m, 5),
            (after.PendingReference, after.PendingCredits, after.PendingSince, after.Month, after.RequestedInMonth, after.Requests));
    }

    [Fact]
    public void Decide_WhilePending_RequestsNothing()
    {
        var (_, pending) = TopUpRules.Decide(Settings, 120, 90, Now)!.Value;

        Assert.Null(TopUpRules.Decide(pending, 120, 90, Now.AddMinutes(1)));
    }

    [Theory]
    [InlineData(700, 300)]
    [InlineData(999, 1)]
    [InlineData(1000, null)]
    public void Decide_MonthlyMaximumNearlyReached_AsksOnlyForWhatTheMonthHasLeft(int requestedInMonth, int? expected)
    {
        var settings = Settings with { Month = "2026-12", RequestedInMonth = requestedInMonth };

        var decided = TopUpRules.Decide(settings, 120, 90, Now);

        Assert.Equal((decimal?)expected, decided?.Request.Credits);
    }

    [Fact]
    public void Decide_NewMonth_StartsTheMonthlyCountAgain()
    {
        var settings = Settings with { Month = "2026-11", RequestedInMonth = 1000 };

        var decided = TopUpRules.Decide(settings, 120, 90, Now);

        Assert.Equal((410m, "2026-12", 410m), (decided!.Value.Request.Credits, decided.Value.After.Month, decided.Value.After.RequestedInMonth));
    }

    [Fact]
    public void Settle_PurchaseOfThePendingReference_ClearsItAndKeepsTheMonthsCount()
    {
        var (request, pending) = TopUpRules.Decide(Settings, 120, 90, Now)!.Value;

        var other = TopUpRules.Settle(pending, "order-1");
        var settled = TopUpRules.Settle(pending, request.Reference)!;

        Assert.Same(pending, other);
        Assert.Equal(((string?)null, 0m, 410m), (settled.PendingReference, settled.PendingCredits, settled.RequestedInMonth));
        Assert.Null(TopUpRules.Settle(null, request.Reference));
    }

    [Fact]
    public void Fail_ThePendingReference_ClearsItAndGivesItsCreditsBackToTheMonth()
    {
        var (request, pending) = TopUpRules.Decide(Settings with { Month = "2026-12", RequestedInMonth = 100 }, 120, 90, Now)!.Value;

        var failed = TopUpRules.Fail(pending, request.Reference)!;

        Assert.Equal(((string?)null, 100m), (failed.PendingReference, failed.RequestedInMonth));
        Assert.Null(TopUpRules.Fail(pending, "topup-2026-12-99"));
        Assert.Null(TopUpRules.Fail(failed, request.Reference));
    }

    [Fact]
    public void Decide_AnyJobsPurchasesAndFailures_NeverPassesTheMonthlyMaximumNorHoldsTwoPending()
    {
        // Steps: 0 a job of some credits, 1 the pending request is bought, 2 it fails, 3 a day passes.
        var steps = Gen.Select(Gen.Int[0, 3], Gen.Int[1, 400]).Array[1, 40];
        Gen.Select(steps, Gen.Int[1, 300], Gen.Int[1, 600], Gen.Int[1, 2000]).Sample((plan, threshold, extra, maximum) =>
        {
            var topUp = new AutoTopUp(threshold, threshold + extra, maximum);
            var spendable = (decimal)(threshold + extra);
            var now = Now;
            var requestedByMonth = new Dictionary<string, decimal>();
            foreach (var (kind, amount) in plan)
            {
                switch (kind)
                {
                    case 0:
                        var before = spendable;
                        spendable = Math.Max(0, spendable - amount);
                        var pendingBefore = topUp.PendingReference;
                        if (TopUpRules.Decide(topUp, before, spendable, now) is var (request, after))
                        {
                            Assert.Null(pendingBefore);
                            Assert.True(before >= threshold && spendable < threshold, "a request without a crossing");
                            Assert.True(request.Credits > 0 && spendable + request.Credits <= topUp.Target);
                            var month = after.Month!;
                            requestedByMonth[month] = requestedByMonth.GetValueOrDefault(month) + request.Credits;
                            topUp = after;
                        }

                        break;
                    case 1 when topUp.PendingReference is { } bought:
                        spendable += topUp.PendingCredits;
                        topUp = TopUpRules.Settle(topUp, bought)!;
                        break;
                    case 2 when topUp.PendingReference is { } failed:
                        requestedByMonth[topUp.Month!] -= topUp.PendingCredits;
                        topUp = TopUpRules.Fail(topUp, failed)!;
                        break;
                    case 3:
                        now = now.AddDays(1);
                        break;
                }

                Assert.All(requestedByMonth.Values, r => Assert.InRange(r, 0, maximum));
                Assert.Equal(topUp.RequestedInMonth, requestedByMonth.GetValueOrDefault(topUp.Month ?? string.Empty));
            }
        }, iter: 500);
    }
}
