using UsageProcessor.Metering.Accounts;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Billing;

/// <summary>The rules that add a billed job to its project's and API key's month rollups: pure, no I/O.</summary>
public static class UsageRollups
{
    private static readonly RollupKind[] Kinds = [RollupKind.Project, RollupKind.ApiKey];

    /// <summary>
    /// Adds <paramref name="record"/> to the rows of the project and key it names in <paramref name="rollups"/> (known rows
    /// by key, changed in place), creating a row for an id first seen while its month has fewer than
    /// <see cref="UsageRollup.MaxPerMonth"/> (listed on <paramref name="period"/>), else adding to <see cref="UsageRollup.Other"/>.
    /// </summary>
    /// <returns>The keys of the rows it changed.</returns>
    /// <remarks>An id with a budget on <paramref name="account"/> always gets its own row: its budget reads it.</remarks>
    public static IReadOnlyList<string> Add(Dictionary<string, UsageRollup> rollups, PeriodBalance period, UsageRecord record, AccountState? account = null)
    {
        ArgumentNullException.ThrowIfNull(rollups);
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(record);
        var changed = new List<string>(2);
        foreach (var kind in Kinds)
        {
            if (UsageRollup.IdOf(record, kind) is not { } id)
            {
                continue;
            }

            var key = UsageRollup.RowKey(kind, period.Period, id);
            if (!rollups.TryGetValue(key, out var rollup))
            {
                var listed = period.RollupsOf(kind);
                if (listed.Contains(id) || listed.Count < UsageRollup.MaxPerMonth
                    || account?.BudgetOf(kind == RollupKind.Project ? BudgetScope.Project : BudgetScope.ApiKey, id) is not null)
                {
                    // A listed id whose row the caller did not give is taken as absent, like any state row: inserted, and
                    // if it does exist the transaction fails (409) and is decided again from the stored rows.
                    listed.Add(id);
                }
                else
                {
                    // Past the month's limit the job is billed as any other; only its totals go to the shared row.
                    id = UsageRollup.Other;
                    key = UsageRollup.RowKey(kind, period.Period, id);
                }

                if (!rollups.TryGetValue(key, out rollup))
                {
                    rollup = new UsageRollup { AccountId = record.AccountId, Kind = kind, Period = period.Period, Id = id };
                    rollups[key] = rollup;
                }
            }

            rollup.Add(record);
            changed.Add(key);
        }

        return changed;
    }

    /// <summary>The rollup rows a batch needs to know: each (kind, month, id) its jobs name.</summary>
    public static IEnumerable<(RollupKind Kind, BillingPeriod Period, string Id)> Named(IEnumerable<PricedJob> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        return jobs.SelectMany(j => new[]
            {
                (Kind: RollupKind.Project, j.Period, Id: j.Job.Attribution.ProjectId),
                (Kind: RollupKind.ApiKey, j.Period, Id: j.Job.Attribution.ApiKeyId),
            })
            .Where(k => k.Id is not null)
            .Select(k => (k.Kind, k.Period, k.Id!))
            .Distinct();
    }
}
