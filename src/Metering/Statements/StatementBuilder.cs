using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Statements;

/// <summary>How a statement's lines are split beyond the price's dimensions.</summary>
public enum StatementGrouping
{
    /// <summary>Not split: the statement as it closes.</summary>
    None,

    /// <summary>Split by the jobs' project (jobs naming none on lines of the empty project).</summary>
    Project,

    /// <summary>Split by the jobs' API key.</summary>
    ApiKey,
}

/// <summary>Builds a statement from usage records. Pure: the same records give the same statement, which is what verify relies on.</summary>
public static class StatementBuilder
{
    /// <summary>Builds the statement of <paramref name="period"/>.</summary>
    /// <param name="accountId">The account.</param>
    /// <param name="period">The statement's period.</param>
    /// <param name="closedAt">When it closed, or null for a draft.</param>
    /// <param name="own">The period's own records billed before it closed.</param>
    /// <param name="late">Records of earlier, closed periods billed into this one.</param>
    /// <param name="corrected">Records voided after their own statement closed, the void made in this period.</param>
    /// <param name="grouping">Whether lines are also split by project or API key: the same jobs and totals, in more lines.</param>
    public static Statement Build(
        string accountId, BillingPeriod period, DateTimeOffset? closedAt, IEnumerable<UsageRecord> own, IEnumerable<UsageRecord> late, IEnumerable<UsageRecord>? corrected = null,
        StatementGrouping grouping = StatementGrouping.None)
    {
        ArgumentNullException.ThrowIfNull(own);
        ArgumentNullException.ThrowIfNull(late);
        // A job voided before this statement closed (or at all, on a draft) is not on it; one voided after stays, since a
        // closed statement never changes, and its void is a correction line on the statement of the month of the void.
        bool Billed(UsageRecord r) => !r.Voided || (closedAt is { } closed && r.VoidedAt is { } voidedAt && voidedAt >= closed);
        var facets = own.Where(Billed).SelectMany(r => Facets(r, StatementLineKinds.Usage, grouping))
            .Concat(late.Where(Billed).SelectMany(r => Facets(r, StatementLineKinds.PriorPeriodUsage, grouping)))
            .Concat((corrected ?? []).Where(r => r.Voided && (closedAt is null || r.VoidedAt < closedAt)).Select(r => CorrectionFacet(r, grouping)));
        var lines = facets
            .GroupBy(f => f.Key)
            .Select(g => (g.Key, Jobs: (long)g.Count(), Units: g.Key.IsUsage ? g.Sum(f => (long)f.Units) : (long?)null, Credits: g.Sum(f => f.Credits)))
            .OrderBy(l => l.Key.Attribution ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(l => StatementLineKinds.Rank(l.Key.Kind))
            .ThenBy(l => l.Key.Period, StringComparer.Ordinal)
            .ThenBy(l => l.Key.Family, StringComparer.Ordinal)
            .ThenBy(l => l.Key.Domain, StringComparer.Ordinal)
            .ThenBy(l => l.Key.Detail ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(l => l.Key.ServiceTier, StringComparer.Ordinal)
            .ThenBy(l => l.Key.Rule, StringComparer.Ordinal)
            .ThenBy(l => l.Key.Unit, StringComparer.Ordinal)
            .ThenBy(l => l.Key.Grant ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(l => l.Key.Outcome ?? string.Empty, StringComparer.Ordinal)
            .Select((l, i) => new StatementLine(i + 1, l.Key.Kind, l.Key.Period, l.Key.Family, l.Key.Domain, l.Key.Detail, l.Key.ServiceTier,
                l.Key.Rule, l.Key.Unit, l.Key.Grant, l.Jobs, l.Units, Money.Normalize(l.Credits), Money.Normalize(Money.CreditsToUsd(l.Credits)))
            {
                Outcome = l.Key.Outcome,
                Project = grouping == StatementGrouping.Project ? l.Key.Attribution : null,
                ApiKey = grouping == StatementGrouping.ApiKey ? l.Key.Attribution : null,
            })
            .ToList();
        return new Statement(accountId, period.ToString(), closedAt is null ? Statement.Draft : Statement.Closed, closedAt, Statement.RoundingRule, lines, Totals(lines));
    }

    /// <summary>The totals of <paramref name="lines"/>: exact credit sums, and USD rounded once on each sum.</summary>
    public static StatementTotals Totals(IReadOnlyList<StatementLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        decimal Credits(string kind) => Money.Normalize(lines.Where(l => l.Kind == kind).Sum(l => l.Credits));
        var usage = lines.Where(l => StatementLineKinds.IsUsage(l.Kind)).ToList();
        var due = lines.Where(l => StatementLineKinds.IsDue(l.Kind)).ToList();
        return new StatementTotals(
            usage.Sum(l => l.Jobs),
            Money.Normalize(usage.Sum(l => l.Credits)),
            Money.RoundUsdForDisplay(usage.Sum(l => l.Usd)),
            Credits(StatementLineKinds.PriorPeriodUsage),
            Credits(StatementLineKinds.Included),
            Credits(StatementLineKinds.Grant),
            Credits(StatementLineKinds.Wallet),
            Credits(StatementLineKinds.Overage),
            Credits(StatementLineKinds.Owed),
            Credits(StatementLineKinds.Correction),
            Money.Normalize(due.Sum(l => l.Credits)),
            Money.RoundUsdForDisplay(due.Sum(l => l.Usd)));
    }

    // One usage facet per record, then one per non-zero part of its credit split. Grants and corrections add their
    // own facets here, from their own record fields, once those exist.
    private static IEnumerable<Facet> Facets(UsageRecord r, string usageKind, StatementGrouping grouping)
    {
        yield return new Facet(KeyOf(r, usageKind, null, grouping), r.Units, r.Credits);
        // A record with grant draws says which grant paid what: one grant line per grant, instead of one wallet line.
        var grants = r.Draws.Where(d => d.Source == CreditDraw.Grant && d.Credits != 0).ToList();
        foreach (var (kind, credits) in new[]
        {
            (StatementLineKinds.Included, r.IncludedCredits),
            (StatementLineKinds.Wallet, grants.Count > 0 ? 0 : r.WalletCredits),
            (StatementLineKinds.Overage, r.OverageCredits),
            (StatementLineKinds.Owed, r.OwedCredits),
        })
        {
            if (credits != 0)
            {
                yield return new Facet(KeyOf(r, kind, null, grouping), 0, credits);
            }
        }

        foreach (var draw in grants)
        {
            yield return new Facet(KeyOf(r, StatementLineKinds.Grant, draw.GrantId, grouping), 0, draw.Credits);
        }
    }

    // A void gives back what the job made due (overage or owed); what it drew from included credits or grants goes back to
    // them, which the grant list shows. The line names the job's own period.
    private static Facet CorrectionFacet(UsageRecord r, StatementGrouping grouping) =>
        new(KeyOf(r, StatementLineKinds.Correction, null, grouping), 0, -(r.OverageCredits + r.OwedCredits));

    // Only usage lines tell outcomes apart: how credits were covered does not depend on how the job ended.
    private static LineKey KeyOf(UsageRecord r, string kind, string? grant, StatementGrouping grouping) =>
        new(kind, r.Period, r.Family, r.Domain, r.Detail, r.ServiceTier, r.Rule, r.Unit, grant,
            StatementLineKinds.IsUsage(kind) && r.Outcome != JobOutcome.Succeeded ? r.Outcome.ToWireName() : null,
            grouping switch
            {
                StatementGrouping.Project => r.ProjectId ?? string.Empty,
                StatementGrouping.ApiKey => r.ApiKeyId ?? string.Empty,
                _ => null,
            });

    private readonly record struct LineKey(
        string Kind, string Period, string Family, string Domain, string? Detail, string ServiceTier, string Rule, string Unit, string? Grant, string? Outcome,
        string? Attribution)
    {
        public bool IsUsage => StatementLineKinds.IsUsage(Kind);
    }

    private readonly record struct Facet(LineKey Key, int Units, decimal Credits);
}
