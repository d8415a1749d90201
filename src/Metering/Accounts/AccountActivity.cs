using System.Text.Json;
using Azure.Data.Tables;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Accounts;

/// <summary>The kinds of entry in an account's activity trail, as they appear on the wire.</summary>
public static class ActivityKinds
{
    /// <summary>Credits granted (promotion, support, sign-up, purchase).</summary>
    public const string Grant = "grant";

    /// <summary>Credits bought through <c>POST /credits</c>.</summary>
    public const string Purchase = "purchase";

    /// <summary>The account was created or changed plan.</summary>
    public const string PlanChange = "plan-change";

    /// <summary>A billed job was voided.</summary>
    public const string Void = "void";

    /// <summary>Credits were added by a correction.</summary>
    public const string Credit = "credit";

    /// <summary>Credits were taken by a correction.</summary>
    public const string Debit = "debit";

    /// <summary>A grant was voided: its credits are what it had left, removed.</summary>
    public const string GrantVoid = "grant-void";

    /// <summary>A grant was expired early: its credits are what it had left, lapsed.</summary>
    public const string GrantExpire = "grant-expire";
}

/// <summary>One append-only entry of an account's activity trail: who did what, when, why, and what it changed.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Id">Unique within the account: the kind and the reference.</param>
/// <param name="Kind">One of <see cref="ActivityKinds"/>.</param>
/// <param name="At">When.</param>
/// <param name="Actor">Who asked for it, as the caller named itself (<c>system</c> for what the product did itself).</param>
/// <param name="Reason">Why.</param>
/// <param name="Reference">The idempotency reference of the request.</param>
/// <param name="Credits">The credits of a grant, purchase, void, credit or debit.</param>
/// <param name="JobId">The voided job.</param>
/// <param name="Plan">The plan after a plan change.</param>
/// <param name="OwedPaid">Credits of a grant that paid what the account owed.</param>
/// <param name="Draws">What a void gave back, or where a debit's credits came from.</param>
public sealed record ActivityEntry(
    string AccountId,
    string Id,
    string Kind,
    DateTimeOffset At,
    string Actor,
    string? Reason,
    string? Reference,
    decimal? Credits,
    string? JobId = null,
    string? Plan = null,
    decimal? OwedPaid = null,
    IReadOnlyList<CreditDraw>? Draws = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    internal TableEntity ToEntity()
    {
        var entity = new TableEntity(AccountId, LedgerKeys.Activity(At, Id))
        {
            [nameof(Id)] = Id,
            [nameof(Kind)] = Kind,
            [nameof(At)] = At,
            [nameof(Actor)] = Actor,
            [nameof(Reason)] = Reason,
            [nameof(Reference)] = Reference,
            [nameof(JobId)] = JobId,
            [nameof(Plan)] = Plan,
            [nameof(Draws)] = Draws is null ? null : JsonSerializer.Serialize(Draws, Json),
        };
        entity.SetNullableDecimal(nameof(Credits), Credits);
        entity.SetNullableDecimal(nameof(OwedPaid), OwedPaid);
        return entity;
    }

    internal static ActivityEntry FromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.GetString(nameof(Id)) ?? e.RowKey,
        e.GetString(nameof(Kind)) ?? string.Empty,
        e.GetDateTimeOffset(nameof(At)) ?? DateTimeOffset.MinValue,
        e.GetString(nameof(Actor)) ?? string.Empty,
        e.GetString(nameof(Reason)),
        e.GetString(nameof(Reference)),
        e.GetNullableDecimal(nameof(Credits)),
        e.GetString(nameof(JobId)),
        e.GetString(nameof(Plan)),
        e.GetNullableDecimal(nameof(OwedPaid)),
        e.GetString(nameof(Draws)) is { Length: > 0 } draws ? JsonSerializer.Deserialize<List<CreditDraw>>(draws, Json) : null);
}

/// <summary>Reads an account's activity trail, newest first, a page at a time.</summary>
/// <remarks>Entries are written by the change they record, in its transaction, so the trail never misses or repeats one.</remarks>
public sealed class AccountActivity(AccountPartition partition, StoragePipelines pipelines)
{
    /// <summary>Reads up to <paramref name="limit"/> entries after row key <paramref name="after"/> (null: from the newest).</summary>
    /// <returns>The entries and, when more exist, the row key of the last one returned (the next page's cursor).</returns>
    public async Task<(IReadOnlyList<ActivityEntry> Entries, string? LastRowKey)> ListAsync(
        string accountId, int limit, string? after, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var prefix = LedgerKeys.ActivityPrefix;
        var upper = LedgerKeys.UpperBound(prefix);
        var filter = after is not null && after.StartsWith(prefix, StringComparison.Ordinal)
            ? TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey gt {after} and RowKey lt {upper}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {accountId} and RowKey ge {prefix} and RowKey lt {upper}");
        var entries = new List<ActivityEntry>(limit);
        string? next = null;
        await pipelines.Storage.ExecuteAsync(async ct =>
        {
            entries.Clear();
            next = null;
            string? lastKey = null;
            await foreach (var entity in partition.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(limit + 1, 1000), cancellationToken: ct))
            {
                if (entries.Count == limit)
                {
                    next = lastKey;
                    return;
                }

                entries.Add(ActivityEntry.FromEntity(entity));
                lastKey = entity.RowKey;
            }
        }, cancellationToken);
        return (entries, next);
    }
}

/// <summary>Activity entries the product writes itself.</summary>
internal static class AccountTrail
{
    /// <summary>The entry of the account's latest plan change (or its creation).</summary>
    public static ActivityEntry PlanChange(AccountState account, DateTimeOffset now, string actor)
    {
        var plan = account.Plans.Current;
        var reason = account.Plans.Changes.Count == 1 ? "created" : "plan changed";
        return new ActivityEntry(account.AccountId, $"{ActivityKinds.PlanChange}:{account.Plans.Changes.Count}", ActivityKinds.PlanChange, now, actor, reason, null, null,
            Plan: plan);
    }
}
