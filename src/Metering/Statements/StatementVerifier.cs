using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Statements;

/// <summary>One difference between a closed statement and its recomputation.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Period">The statement's period.</param>
/// <param name="Field">What differs: <c>line N</c>, a total's name, or <c>lines</c> (their count).</param>
/// <param name="Stored">The stored value.</param>
/// <param name="Recomputed">The value recomputed from the usage records.</param>
public sealed record StatementDifference(string AccountId, string Period, string Field, string Stored, string Recomputed);

/// <summary>The outcome of a verify run: how many statements were checked and every difference found (there must be none).</summary>
public sealed record VerifyReport(string Period, int Statements, IReadOnlyList<StatementDifference> Differences);

/// <summary>Recomputes each closed statement of a period from the usage records and reports what differs.</summary>
public sealed class StatementVerifier(StatementStore store)
{
    /// <summary>Verifies every closed statement of <paramref name="period"/>.</summary>
    public async Task<VerifyReport> VerifyAsync(BillingPeriod period, CancellationToken cancellationToken)
    {
        var differences = new List<StatementDifference>();
        var statements = await store.ClosedOfPeriodAsync(period, cancellationToken);
        foreach (var stored in statements)
        {
            var s = stored.Statement;
            var recomputed = await store.ComputeAsync(s.AccountId, period, s.ClosedAt, cancellationToken);
            differences.AddRange(Compare(s, recomputed));
        }

        return new VerifyReport(period.ToString(), statements.Count, differences);
    }

    /// <summary>The differences between <paramref name="stored"/> and <paramref name="recomputed"/>, line by line, then the totals.</summary>
    public static IEnumerable<StatementDifference> Compare(Statement stored, Statement recomputed)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(recomputed);
        StatementDifference Diff(string field, object? a, object? b) => new(stored.AccountId, stored.Period, field, Show(a), Show(b));

        if (stored.Lines.Count != recomputed.Lines.Count)
        {
            yield return Diff("lines", stored.Lines.Count, recomputed.Lines.Count);
        }

        for (var i = 0; i < Math.Max(stored.Lines.Count, recomputed.Lines.Count); i++)
        {
            var a = i < stored.Lines.Count ? stored.Lines[i] : null;
            var b = i < recomputed.Lines.Count ? recomputed.Lines[i] : null;
            if (a != b)
            {
                yield return Diff($"line {i + 1}", a, b);
            }
        }

        if (stored.Totals != recomputed.Totals)
        {
            foreach (var property in typeof(StatementTotals).GetProperties())
            {
                var (a, b) = (property.GetValue(stored.Totals), property.GetValue(recomputed.Totals));
                if (!Equals(a, b))
                {
                    yield return Diff($"totals.{char.ToLowerInvariant(property.Name[0])}{property.Name[1..]}", a, b);
                }
            }
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "(none)",
        StatementLine l => $"{l.Kind} {l.Period} {l.Family}/{l.Domain}/{l.Detail}/{l.ServiceTier}/{l.Rule}/{l.Unit}{(l.Grant is null ? string.Empty : "/" + l.Grant)}{(l.Outcome is null ? string.Empty : " " + l.Outcome)}: {l.Jobs} jobs, {l.Units?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} units, {CsvCells.Number(l.Credits)} credits",
        decimal d => CsvCells.Number(d),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
