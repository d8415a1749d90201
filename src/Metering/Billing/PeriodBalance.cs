using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Billing;

/// <summary>An account's running totals for one billing period, from its <c>period|YYYY-MM</c> row.</summary>
public sealed class PeriodBalance : IPeriodTotals
{
    /// <summary>The figures the account row keeps of this period.</summary>
    public PeriodFigures Figures() => new(Period.ToString(), UsedCredits, IncludedUsed, OverageCredits);

    /// <summary>The account id.</summary>
    public required string AccountId { get; init; }

    /// <summary>The billing period.</summary>
    public required BillingPeriod Period { get; init; }

    /// <summary>Credits of every job billed in the period.</summary>
    public decimal UsedCredits { get; set; }

    /// <summary>Jobs billed in the period.</summary>
    public long Jobs { get; set; }

    /// <summary>Credits by domain family.</summary>
    public SortedDictionary<string, decimal> ByFamily { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Credits taken from the plan's included monthly credits.</summary>
    public decimal IncludedUsed { get; set; }

    /// <summary>Credits taken from the wallet (bonus and purchases).</summary>
    public decimal WalletUsed { get; set; }

    /// <summary>Credits past included and wallet credits on a plan that allows overage.</summary>
    public decimal OverageCredits { get; set; }

    /// <summary>Credits past the wallet on a plan without overage: work done but not covered.</summary>
    public decimal OwedCredits { get; set; }

    /// <summary>Completed jobs past the plan's per-minute limit (still billed).</summary>
    public long OverLimitJobs { get; set; }

    /// <summary>Jobs of the period voided by corrections; they are no longer in <see cref="Jobs"/>.</summary>
    public long VoidedJobs { get; set; }

    /// <summary>Credits of the voided jobs; they are no longer in <see cref="UsedCredits"/>.</summary>
    public decimal VoidedCredits { get; set; }

    /// <summary>Marker keys (<c>kind|threshold</c>) of the alerts already raised in the period.</summary>
    public HashSet<string> RaisedAlerts { get; init; } = new(StringComparer.Ordinal);

    /// <summary>When the period's statement was closed; null while it is open. Jobs billed into a closed period go on a later statement.</summary>
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>When the row last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The projects with their own <see cref="UsageRollup"/> row this month (at most <see cref="UsageRollup.MaxPerMonth"/>).</summary>
    /// <remarks>Kept on the period row, which every commit reads anyway, so an id not listed is known to have no row: no read.</remarks>
    public SortedSet<string> ProjectRollups { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The API keys with their own <see cref="UsageRollup"/> row this month.</summary>
    public SortedSet<string> ApiKeyRollups { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The ids of <paramref name="kind"/> with their own row.</summary>
    public SortedSet<string> RollupsOf(RollupKind kind) => kind == RollupKind.Project ? ProjectRollups : ApiKeyRollups;

    /// <summary>The row's ETag; null for a period not yet stored.</summary>
    public ETag? ETag { get; init; }

    /// <summary>A copy that can change without changing this one.</summary>
    public PeriodBalance Clone() => CloneWithETag(ETag);

    /// <summary>A copy whose row version is <paramref name="etag"/>.</summary>
    internal PeriodBalance CloneWithETag(ETag? etag) => new()
    {
        AccountId = AccountId,
        Period = Period,
        UsedCredits = UsedCredits,
        Jobs = Jobs,
        ByFamily = new SortedDictionary<string, decimal>(ByFamily, StringComparer.Ordinal),
        IncludedUsed = IncludedUsed,
        WalletUsed = WalletUsed,
        OverageCredits = OverageCredits,
        OwedCredits = OwedCredits,
        OverLimitJobs = OverLimitJobs,
        VoidedJobs = VoidedJobs,
        VoidedCredits = VoidedCredits,
        ProjectRollups = new SortedSet<string>(ProjectRollups, StringComparer.Ordinal),
        ApiKeyRollups = new SortedSet<string>(ApiKeyRollups, StringComparer.Ordinal),
        RaisedAlerts = new HashSet<string>(RaisedAlerts, StringComparer.Ordinal),
        ClosedAt = ClosedAt,
        UpdatedAt = UpdatedAt,
        ETag = etag,
    };

    /// <summary>An empty balance for a period with no jobs yet.</summary>
    public static PeriodBalance Empty(string accountId, BillingPeriod period) => new() { AccountId = accountId, Period = period };

    internal static PeriodBalance FromEntity(TableEntity entity, BillingPeriod period)
    {
        var balance = new PeriodBalance
        {
            AccountId = entity.PartitionKey,
            Period = period,
            UsedCredits = entity.GetDecimal(nameof(UsedCredits)),
            Jobs = entity.GetInt64OrZero(nameof(Jobs)),
            IncludedUsed = entity.GetDecimal(nameof(IncludedUsed)),
            WalletUsed = entity.GetDecimal(nameof(WalletUsed)),
            OverageCredits = entity.GetDecimal(nameof(OverageCredits)),
            OwedCredits = entity.GetDecimal(nameof(OwedCredits)),
            OverLimitJobs = entity.GetInt64OrZero(nameof(OverLimitJobs)),
            ClosedAt = entity.GetDateTimeOffset(nameof(ClosedAt)),
            VoidedJobs = entity.GetInt64OrZero(nameof(VoidedJobs)),
            VoidedCredits = entity.GetDecimal(nameof(VoidedCredits)),
            UpdatedAt = entity.GetDateTimeOffset(nameof(UpdatedAt)) ?? DateTimeOffset.MinValue,
            ETag = entity.ETag,
        };
        if (entity.GetString(nameof(ByFamily)) is { Length: > 0 } json)
        {
            foreach (var (family, credits) in JsonSerializer.Deserialize<Dictionary<string, decimal>>(json) ?? [])
            {
                balance.ByFamily[family] = credits;
            }
        }

        foreach (var (name, set) in new[] { (nameof(ProjectRollups), balance.ProjectRollups), (nameof(ApiKeyRollups), balance.ApiKeyRollups) })
        {
            if (entity.GetString(name) is { Length: > 0 } ids)
            {
                set.UnionWith(JsonSerializer.Deserialize<List<string>>(ids) ?? []);
            }
        }

        if (entity.GetString(nameof(RaisedAlerts)) is { Length: > 0 } raised)
        {
            balance.RaisedAlerts.UnionWith(JsonSerializer.Deserialize<List<string>>(raised) ?? []);
        }

        return balance;
    }

    internal TableEntity ToEntity()
    {
        var entity = new TableEntity(AccountId, LedgerKeys.Period(Period))
        {
            [nameof(Jobs)] = Jobs,
            [nameof(OverLimitJobs)] = OverLimitJobs,
            [nameof(VoidedJobs)] = VoidedJobs,
            [nameof(UpdatedAt)] = UpdatedAt,
            [nameof(ClosedAt)] = ClosedAt,
            [nameof(ByFamily)] = JsonSerializer.Serialize(ByFamily.ToDictionary(p => p.Key, p => Money.Normalize(p.Value))),
            [nameof(RaisedAlerts)] = JsonSerializer.Serialize(RaisedAlerts.Order(StringComparer.Ordinal)),
        };
        // Only once a month has attributed jobs, so a period without them is stored as before.
        // At most 100 ids of at most 64 characters each: under 7 KB a property.
        if (ProjectRollups.Count > 0)
        {
            entity[nameof(ProjectRollups)] = JsonSerializer.Serialize(ProjectRollups);
        }

        if (ApiKeyRollups.Count > 0)
        {
            entity[nameof(ApiKeyRollups)] = JsonSerializer.Serialize(ApiKeyRollups);
        }

        entity.SetDecimal(nameof(UsedCredits), UsedCredits);
        entity.SetDecimal(nameof(IncludedUsed), IncludedUsed);
        entity.SetDecimal(nameof(WalletUsed), WalletUsed);
        entity.SetDecimal(nameof(OverageCredits), OverageCredits);
        entity.SetDecimal(nameof(OwedCredits), OwedCredits);
        entity.SetDecimal(nameof(VoidedCredits), VoidedCredits);
        return entity;
    }
}
