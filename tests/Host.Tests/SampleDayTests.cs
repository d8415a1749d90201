using UsageProcessor.Host.Tests.Infrastructure;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Pricing;

namespace UsageProcessor.Host.Tests;

/// <summary>The sample file and the balances its README promises agree with the shipped price book.</summary>
public sealed class SampleDayTests
{
    [Fact]
    public void SampleDay_File_HasTheDocumentedShape()
    {
        var lines = SampleDay.ReadLines();

        Assert.Equal(SampleDay.Lines, lines.Count);
        Assert.Equal(SampleDay.Duplicates, lines.Count - lines.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void SampleDay_PricedWithTheShippedBook_MatchesTheReadmeBalances()
    {
        var books = PriceBookCatalog.Embedded();
        var billed = new Dictionary<(string Account, string Job), decimal>();
        var rejected = new List<string?>();
        foreach (var line in SampleDay.ReadLines())
        {
            if (JobMessageParser.ParseJob(line).Value is not { } job)
            {
                rejected.Add(null);
                continue;
            }

            var quote = books.For(job.CompletedAt).Quote(job.Usage);
            if (!quote.IsSuccess)
            {
                rejected.Add(job.JobId);
                continue;
            }

            billed[(job.AccountId, job.JobId)] = quote.Quote.Credits;
        }

        var byAccount = billed
            .GroupBy(b => b.Key.Account, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (Jobs: g.Count(), Credits: g.Sum(b => b.Value)), StringComparer.Ordinal);
        Assert.Equal([SampleDay.InvalidJobId], rejected);
        Assert.Equal(SampleDay.Accounts.OrderBy(a => a.Key, StringComparer.Ordinal), byAccount.OrderBy(a => a.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void SampleDay_Domains_CoverEveryFamilyTierAndAgent()
    {
        var jobs = SampleDay.ReadLines().Select(l => JobMessageParser.ParseJob(l).Value).OfType<JobCompleted>().ToList();
        var domains = jobs.Select(j => j.Usage.Domain).ToHashSet(StringComparer.Ordinal);
        var tiers = jobs.Select(j => j.Usage.ServiceTier ?? "(none)").ToHashSet(StringComparer.Ordinal);

        Assert.Superset(new HashSet<string> { "document.markdown", "healthcare.phi-redaction", "insurance.document-redaction" }, domains);
        Assert.Superset(new HashSet<string> { "document", "image", "healthcare", "audio", "video" }, domains.Select(d => d.Split('.')[0]).ToHashSet());
        Assert.Superset(new HashSet<string> { "flex", "priority", "standard", "auto" }, tiers);
        Assert.Contains(jobs, j => j.Usage.CustomModel);
    }

    [Fact]
    public void SampleDay_ThenTheCreditsScript_GivesTheReadmeBalances()
    {
        // The script's four operations, applied by the billing and credit rules to the day as billed (file order).
        var script = SampleDay.CreditsScript();
        Assert.All(
            ["\"reference\":\"sample-promo\"", "\"jobId\":\"trial-1\"", "\"credits\":1500,\"reference\":\"sample-order-1\"",
                "\"type\":\"credit\",\"credits\":100,\"reference\":\"sample-goodwill\""],
            step => Assert.Contains(step, script, StringComparison.Ordinal));
        var plans = PlanCatalog.LoadEmbedded();
        var books = PriceBookCatalog.Embedded();
        var calculator = new BillingCalculator(plans);
        var now = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        var jobs = SampleDay.ReadLines().Select(l => JobMessageParser.ParseJob(l).Value).OfType<JobCompleted>()
            .Select(j => (Job: j, Quote: books.For(j.CompletedAt).Quote(j.Usage)))
            .Where(j => j.Quote.IsSuccess)
            .Select(j => new PricedJob(j.Job, j.Quote.Quote))
            .ToList();
        var billed = jobs.Where(j => j.Job.AccountId != SampleDay.CappedAccount).GroupBy(j => j.Job.AccountId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => calculator.Bill(BillingState.New(g.Key), [.. g], now), StringComparer.Ordinal);
        var states = billed.ToDictionary(b => b.Key, b => (Account: b.Value.State.Account!.Clone(), Period: b.Value.State.Periods.Values.Single().Clone()));

        GrantBook.Grant(states["tailspin-labs"].Account, new CreditGrant
        {
            Id = "sample-promo",
            Reason = GrantReasons.Promotion,
            Credits = 50,
            Priority = 10,
            ExpiresAt = now.AddDays(30),
            GrantedAt = now,
        });
        var trialOne = billed["tailspin-labs"].Jobs.Single(j => j.Job.Job.JobId == "trial-1").Record!;
        Corrections.Void(states["tailspin-labs"].Account, states["tailspin-labs"].Period, trialOne, new Dictionary<string, CreditGrant>(), "sample-void", now);
        GrantBook.Grant(states["acme-corp"].Account, new CreditGrant { Id = "purchase:sample-order-1", Reason = GrantReasons.Purchase, Credits = 1500, GrantedAt = now });
        GrantBook.Grant(states["contoso-health"].Account, new CreditGrant { Id = "adjust:sample-goodwill", Reason = GrantReasons.Correction, Credits = 100, GrantedAt = now });

        Assert.Equal(SampleDay.TrialOneCredits, trialOne.Credits);
        var after = states.ToDictionary(
            s => s.Key,
            s => (s.Value.Account.CreditsLeftAt(now), s.Value.Account.OwedOutstanding, s.Value.Period.UsedCredits, (int)s.Value.Period.Jobs),
            StringComparer.Ordinal);
        Assert.Equal(SampleDay.AfterCredits.OrderBy(a => a.Key, StringComparer.Ordinal), after.OrderBy(a => a.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void SampleDay_CappedAccountBilledInFileOrder_IsBilledInFullFlagsTheJobsPastTheCapAndAlertsOnce()
    {
        var books = PriceBookCatalog.Embedded();
        var plans = PlanCatalog.LoadEmbedded();
        var jobs = SampleDay.ReadLines()
            .Select(l => JobMessageParser.ParseJob(l).Value)
            .OfType<JobCompleted>()
            .Where(j => j.AccountId == SampleDay.CappedAccount)
            .DistinctBy(j => j.JobId)
            .Select(j => new PricedJob(j, books.For(j.CompletedAt).Quote(j.Usage).Quote))
            .ToList();
        var now = jobs.Max(j => j.Job.CompletedAt).AddMinutes(3);
        // Created on pro and capped before the day is sent, as samples/README.md does it.
        var account = AccountFactory.Create(SampleDay.CappedAccount, plans.Get("pro"), plans, now.AddDays(-1));
        account.SpendCap = new SpendCap(SampleDay.Cap, SpendCapBasis.Credits);
        var state = new BillingState(SampleDay.CappedAccount, account, new Dictionary<BillingPeriod, PeriodBalance>(), new Dictionary<DateTimeOffset, long>());

        var billed = new BillingCalculator(plans).Bill(state, jobs, now);

        Assert.Equal(SampleDay.Accounts[SampleDay.CappedAccount].Credits, billed.State.Periods.Values.Sum(p => p.UsedCredits));
        Assert.Equal(SampleDay.JobsPastCap, billed.Jobs.Count(j => j.Record!.PastSpendCap));
        var reached = Assert.Single(billed.RaisedAlerts, a => a.Kind == AlertKinds.SpendCapReached);
        // docs/credits.md's worked example: a 28-credit job takes the month from 986.4 to 1014.4.
        Assert.Equal((1014.4m, 28m), (reached.Value, jobs.Single(j => j.Job.JobId == reached.JobId).Quote.Credits));
        Assert.Equal(0m, billed.State.Periods.Values.Sum(p => p.OwedCredits));
    }

    [Fact]
    public void SampleDay_BilledAsSent_RaisesTheAlertsDocsOperationsQuotes()
    {
        // docs/operations.md's "alerts raised" row, computed from the day by the billing rules: every account new
        // (the day creates them, on the default plan), the day's jobs billed in file order, duplicates once.
        var row = File.ReadLines(Path.Combine(Repository.Root, "docs", "operations.md")).Single(l => l.StartsWith("| alerts raised |", StringComparison.Ordinal));
        var quoted = System.Text.RegularExpressions.Regex.Matches(row, "(?<n>[0-9]+) `(?<kind>[a-z-]+)`")
            .ToDictionary(m => m.Groups["kind"].Value, m => int.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
        var total = int.Parse(row.Split('|', StringSplitOptions.TrimEntries)[2].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        var books = PriceBookCatalog.Embedded();
        var calculator = new BillingCalculator(PlanCatalog.LoadEmbedded());
        var jobs = SampleDay.ReadLines().Select(l => JobMessageParser.ParseJob(l).Value).OfType<JobCompleted>()
            .Select(j => (Job: j, Quote: books.For(j.CompletedAt).Quote(j.Usage)))
            .Where(j => j.Quote.IsSuccess)
            .Select(j => new PricedJob(j.Job, j.Quote.Quote))
            .ToList();
        var now = jobs.Max(j => j.Job.CompletedAt).AddMinutes(3);

        var raised = jobs.GroupBy(j => j.Job.AccountId, StringComparer.Ordinal)
            .SelectMany(g => calculator.Bill(BillingState.New(g.Key), [.. g], now).RaisedAlerts)
            .GroupBy(a => a.Kind, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        Assert.Equal(raised.OrderBy(k => k.Key, StringComparer.Ordinal), quoted.OrderBy(k => k.Key, StringComparer.Ordinal));
        Assert.Equal(raised.Values.Sum(), total);
    }
}
