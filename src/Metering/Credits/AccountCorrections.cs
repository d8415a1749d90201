using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Credits;

/// <summary>The kinds of correction, as they appear on the wire.</summary>
public static class AdjustmentTypes
{
    /// <summary>Void a billed job: its credits go back where they came from.</summary>
    public const string Void = "void";

    /// <summary>Add credits (a correction grant).</summary>
    public const string Credit = "credit";

    /// <summary>Take credits (from grants, then owed).</summary>
    public const string Debit = "debit";

    /// <summary>Every type.</summary>
    public static IReadOnlyList<string> All { get; } = [Void, Credit, Debit];
}

/// <summary>The outcome of a correction request.</summary>
public enum AdjustmentStatus
{
    /// <summary>Applied now.</summary>
    Applied,

    /// <summary>The reference was used before for the same correction; the first result is returned.</summary>
    Repeated,

    /// <summary>The reference was used before for another correction; nothing changed.</summary>
    Conflict,

    /// <summary>The account does not exist.</summary>
    UnknownAccount,

    /// <summary>The job to void was never billed to the account.</summary>
    UnknownJob,

    /// <summary>The job to void was already voided by another reference.</summary>
    AlreadyVoided,

    /// <summary>The correction would leave more than <see cref="AccountRowBudget.MaxLiveGrants"/> grants with credits left (a credit, or a void's refund or returned grants); nothing changed.</summary>
    TooManyGrants,
}

/// <summary>A correction asked for.</summary>
/// <param name="Reference">The idempotency reference.</param>
/// <param name="Type">One of <see cref="AdjustmentTypes"/>.</param>
/// <param name="JobId">The job to void.</param>
/// <param name="Credits">Credits to add or take.</param>
/// <param name="Reason">Why (free text).</param>
/// <param name="Actor">Who asks.</param>
public sealed record AdjustmentRequest(string Reference, string Type, string? JobId, decimal? Credits, string Reason, string Actor);

/// <summary>A correction as its append-only row stores it.</summary>
/// <param name="Request">What was asked.</param>
/// <param name="At">When it was applied.</param>
/// <param name="Credits">The credits it moved (a void: the job's credits).</param>
/// <param name="Draws">A void: what went back, in order; a debit: where the credits came from; a credit: empty.</param>
/// <param name="OwedPaid">A credit: what of it paid owed credits.</param>
/// <param name="VoidedBy">For <see cref="AdjustmentStatus.AlreadyVoided"/>: the reference that voided the job.</param>
public sealed record Adjustment(AdjustmentRequest Request, DateTimeOffset At, decimal Credits, IReadOnlyList<CreditDraw> Draws, decimal OwedPaid, string? VoidedBy = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Whether <paramref name="other"/> asks for this same correction (a repeat of its reference).</summary>
    public bool IsSameAs(AdjustmentRequest other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Request.Type == other.Type && Request.JobId == other.JobId && Request.Credits == other.Credits;
    }

    internal TableEntity ToEntity(string accountId)
    {
        var entity = new TableEntity(accountId, LedgerKeys.Adjustment(Request.Reference))
        {
            ["Type"] = Request.Type,
            ["JobId"] = Request.JobId,
            ["Reason"] = Request.Reason,
            ["Actor"] = Request.Actor,
            ["At"] = At,
            ["Draws"] = JsonSerializer.Serialize(Draws, Json),
        };
        entity.SetNullableDecimal("RequestedCredits", Request.Credits);
        entity.SetDecimal("Credits", Credits);
        entity.SetDecimal("OwedPaid", OwedPaid);
        return entity;
    }

    internal static Adjustment FromEntity(TableEntity e) => new(
        new AdjustmentRequest(
            e.RowKey["adjust|".Length..],
            e.GetString("Type") ?? string.Empty,
            e.GetString("JobId"),
            e.GetNullableDecimal("RequestedCredits"),
            e.GetString("Reason") ?? string.Empty,
            e.GetString("Actor") ?? string.Empty),
        e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue,
        e.GetDecimal("Credits"),
        e.GetString("Draws") is { Length: > 0 } draws ? JsonSerializer.Deserialize<List<CreditDraw>>(draws, Json) ?? [] : [],
        e.GetDecimal("OwedPaid"));
}

/// <summary>Corrections to billed work: voids, credits and debits, each once per reference, each an append-only row and an activity entry.</summary>
/// <remarks>
/// A correction changes the account row, and a void also the job's usage record and its period's balance, in one
/// transaction under every row's ETag, with the correction's row (keyed by reference) inserted in it: twenty identical
/// requests at once apply once, the others lose the race, look again and find the reference used.
/// </remarks>
public sealed partial class AccountCorrections(
    AccountPartition partition,
    StoragePipelines pipelines,
    IOptions<MeteringOptions> options,
    ILogger<AccountCorrections> logger)
{
    /// <summary>Applies <paramref name="request"/> unless its reference was used before.</summary>
    public async Task<(AdjustmentStatus Status, Adjustment? Adjustment)> AdjustAsync(string accountId, AdjustmentRequest request, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentNullException.ThrowIfNull(request);
        var (status, adjustment) = await partition.TransactAsync(accountId, (rows, ct) => AttemptAsync(rows, request, ct), cancellationToken);
        if (status == AdjustmentStatus.Applied)
        {
            LogAdjusted(accountId, request.Type, request.Reference, adjustment!.Credits);
        }

        return (status, adjustment);
    }

    private async Task<(AdjustmentStatus Status, Adjustment? Adjustment)> AttemptAsync(PartitionAttempt rows, AdjustmentRequest request, CancellationToken ct)
    {
        var accountId = rows.AccountId;
        if (await rows.ReadStoredAsync(LedgerKeys.Adjustment(request.Reference), ct) is { } row)
        {
            var previous = Adjustment.FromEntity(row);
            return (previous.IsSameAs(request) ? AdjustmentStatus.Repeated : AdjustmentStatus.Conflict, previous);
        }

        if (await GrantWrites.ReadAccountAsync(partition, pipelines, rows, ct) is not { } account)
        {
            return (AdjustmentStatus.UnknownAccount, (Adjustment?)null);
        }

        var now = rows.Now;
        var transaction = new LedgerTransaction(accountId);
        var liveGrants = account.Grants.Count;
        Adjustment adjustment;
        switch (request.Type)
        {
            case AdjustmentTypes.Void:
                var (status, voided) = await VoidAsync(rows, transaction, account, request, now, options.Value.StatementCloseGrace, ct);
                if (status == AdjustmentStatus.AlreadyVoided && voided?.VoidedBy == request.Reference
                    && await rows.ReadStoredAsync(LedgerKeys.Adjustment(request.Reference), ct) is { } applied)
                {
                    // A concurrent request with this reference voided the job between our two reads: it is a repeat.
                    var first = Adjustment.FromEntity(applied);
                    return (first.IsSameAs(request) ? AdjustmentStatus.Repeated : AdjustmentStatus.Conflict, first);
                }

                if (voided is null || status != AdjustmentStatus.Applied)
                {
                    return (status, voided);
                }

                adjustment = voided;
                break;
            case AdjustmentTypes.Credit:
                GrantBook.Fold(account, now);
                var grant = GrantWrites.Add(transaction, account, new CreditGrant
                {
                    Id = CreditGrantId(request.Reference),
                    Reason = GrantReasons.Correction,
                    Credits = request.Credits!.Value,
                    GrantedAt = now,
                }, request.Actor, request.Reference, ActivityKinds.Credit, now, request.Reason);
                adjustment = new Adjustment(request, now, request.Credits.Value, [], grant.OwedPaid);
                break;
            default:
                var draws = Corrections.Debit(account, request.Credits!.Value, now);
                adjustment = new Adjustment(request, now, request.Credits.Value, draws, 0);
                transaction.Insert(new ActivityEntry(accountId, $"{ActivityKinds.Debit}:{request.Reference}", ActivityKinds.Debit, now, request.Actor,
                    request.Reason, request.Reference, request.Credits, Draws: draws).ToEntity());
                break;
        }

        if (AccountRowBudget.RefuseGrantsAfter(liveGrants, account) is not null)
        {
            return (AdjustmentStatus.TooManyGrants, null);
        }

        transaction.Insert(adjustment.ToEntity(accountId));
        transaction.Save(account.ToEntity(), account.ETag);
        await rows.SubmitAsync(transaction, ct);
        return (AdjustmentStatus.Applied, (Adjustment?)adjustment);
    }

    /// <summary>The id of the grant a credit correction with <paramref name="reference"/> became.</summary>
    public static string CreditGrantId(string reference) => $"adjust:{reference}";

    private static async Task<(AdjustmentStatus, Adjustment?)> VoidAsync(
        PartitionAttempt rows, LedgerTransaction transaction, AccountState account, AdjustmentRequest request, DateTimeOffset now, TimeSpan closeGrace,
        CancellationToken cancellationToken)
    {
        var accountId = account.AccountId;
        var jobId = request.JobId!;
        if (await rows.ReadStoredAsync(LedgerKeys.Job(jobId), cancellationToken) is not { } jobRow
            || await rows.ReadStoredAsync(JobRow.FromEntity(jobRow).UsageRowKey, cancellationToken) is not { } usageRow)
        {
            return (AdjustmentStatus.UnknownJob, null);
        }

        var record = UsageRecord.FromEntity(usageRow);
        if (record.Voided)
        {
            return (AdjustmentStatus.AlreadyVoided, new Adjustment(request, now, record.Credits, [], 0, record.VoidReference));
        }

        var period = BillingPeriod.TryParse(record.Period, out var p) ? p : BillingPeriod.Of(record.CompletedAt);
        var periodRow = await rows.ReadStoredAsync(LedgerKeys.Period(period), cancellationToken);
        var balance = periodRow is null ? PeriodBalance.Empty(accountId, period) : PeriodBalance.FromEntity(periodRow, period);

        // Grants the job drew from that were since folded away come back from their own rows.
        var folded = new Dictionary<string, CreditGrant>(StringComparer.Ordinal);
        foreach (var id in Corrections.DrawsOf(record).Where(d => d.GrantId is not null).Select(d => d.GrantId!).Distinct())
        {
            if (!account.Grants.Exists(g => g.Id == id) && await rows.ReadStoredAsync(LedgerKeys.Grant(id), cancellationToken) is { } grantRow)
            {
                folded[id] = StoredGrant.FromEntity(grantRow).Grant;
            }
        }

        var hadRefund = account.Grants.Exists(g => g.Id == Corrections.RefundGrantId(jobId));
        // Voided grants the job drew from: what goes back to them is voided too, and they leave the row at once (nothing
        // left to draw), so their own rows must learn the new figure now or the list would show the old one.
        var voidedGrants = account.Grants.Concat(folded.Values).Where(g => g.VoidedAt is not null)
            .ToDictionary(g => g.Id, g => g.Voided, StringComparer.Ordinal);
        var (voided, returned) = Corrections.Void(account, balance, record, folded, request.Reference, now);
        foreach (var (grantId, credits) in returned.Where(d => d.GrantId is { } id && voidedGrants.ContainsKey(id))
            .GroupBy(d => d.GrantId!, StringComparer.Ordinal).Select(g => (g.Key, g.Sum(d => d.Credits))))
        {
            var row = new TableEntity(accountId, LedgerKeys.Grant(grantId));
            row.SetDecimal("Voided", voidedGrants[grantId] + credits);
            transaction.Add(TableTransactionActionType.UpsertMerge, row, default);
        }

        // Admission decides from the month's figures kept on the account row while its ETag holds: keep them in step.
        LatestPeriodRule.Track(account, balance, now);
        transaction.Add(TableTransactionActionType.UpdateReplace, voided.ToEntity(usageRow.RowKey), usageRow.ETag);
        transaction.Save(balance.ToEntity(), periodRow?.ETag);
        await IndexCorrectionAsync(rows, transaction, record, usageRow.RowKey, period, balance, now, closeGrace, cancellationToken);
        // The usage summary reads day rows, not usage records: the voided job leaves its day in the same transaction.
        if (await rows.ReadStoredAsync(LedgerKeys.Day(UsageDay.DayOf(record.CompletedAt)), cancellationToken) is { } dayRow)
        {
            var day = UsageDay.FromEntity(dayRow);
            day.Remove(record);
            transaction.Save(day.ToEntity(), dayRow.ETag);
        }

        // Likewise its project's and key's month totals: the job is in its id's row if the id has one, else in (other).
        foreach (var kind in (RollupKind[])[RollupKind.Project, RollupKind.ApiKey])
        {
            if (UsageRollup.IdOf(record, kind) is not { } rolledId)
            {
                continue;
            }

            var rollupRow = await rows.ReadStoredAsync(UsageRollup.RowKey(kind, period, rolledId), cancellationToken)
                ?? await rows.ReadStoredAsync(UsageRollup.RowKey(kind, period, UsageRollup.Other), cancellationToken);
            if (rollupRow is not null)
            {
                var rollup = UsageRollup.Read(rollupRow, kind, period);
                rollup.Remove(record);
                transaction.Save(rollup.ToEntity(), rollupRow.ETag);
            }
        }
        if (!hadRefund && account.Grants.Find(g => g.Id == Corrections.RefundGrantId(jobId)) is { } refund)
        {
            transaction.Insert(new StoredGrant(refund.Clone(), request.Actor, refund.Used).ToEntity(accountId));
        }

        transaction.Insert(new ActivityEntry(accountId, $"{ActivityKinds.Void}:{request.Reference}", ActivityKinds.Void, now, request.Actor, request.Reason,
            request.Reference, record.Credits, JobId: jobId, Draws: returned).ToEntity());
        return (AdjustmentStatus.Applied, new Adjustment(request, now, record.Credits, returned, 0));
    }

    // A job whose statement already closed stays on it (a closed statement never changes); its void is listed as a
    // correction on the statement of the month the void is made in. The statement's period row goes in the transaction
    // under its ETag, so a close committed meanwhile fails this void, which is decided again and then indexed.
    // Closed means past its close instant, as for billing, whether or not a closer has run yet: the statement closes
    // as of that instant, so a void after it is a correction even when the closer writes the statement later.
    private static async Task IndexCorrectionAsync(
        PartitionAttempt rows, LedgerTransaction transaction, UsageRecord record, string usageRowKey, BillingPeriod period, PeriodBalance balance, DateTimeOffset now,
        TimeSpan closeGrace, CancellationToken cancellationToken)
    {
        var statementPeriod = BillingPeriod.TryParse(record.StatementPeriod ?? string.Empty, out var s) ? s : period;
        var closedAt = balance.ClosedAt;
        if (statementPeriod != period)
        {
            var statementRow = await rows.ReadStoredAsync(LedgerKeys.Period(statementPeriod), cancellationToken);
            var statementBalance = statementRow is null ? PeriodBalance.Empty(record.AccountId, statementPeriod) : PeriodBalance.FromEntity(statementRow, statementPeriod);
            transaction.Save(statementBalance.ToEntity(), statementRow?.ETag);
            closedAt = statementBalance.ClosedAt;
        }

        if (StatementCalendar.IsClosed(statementPeriod, closedAt, now, closeGrace))
        {
            transaction.Insert(StatementKeys.CorrectionRow(record.AccountId, BillingPeriod.Of(now).ToString(), record.JobId, usageRowKey));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied a {Type} correction to {AccountId} (reference {Reference}, {Credits} credits)")]
    private partial void LogAdjusted(string accountId, string type, string reference, decimal credits);
}
