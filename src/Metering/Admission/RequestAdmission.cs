using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Admission;

/// <summary>The answer to "may this account make one more request now?".</summary>
public enum AdmissionStatus
{
    /// <summary>Admitted and counted.</summary>
    Admitted,

    /// <summary>The plan's limit is reached in the rolling window.</summary>
    RateLimited,

    /// <summary>A starter account with no credits left (or, with a reservation, fewer than the request needs).</summary>
    NoCredits,

    /// <summary>The account does not exist.</summary>
    UnknownAccount,

    /// <summary>The month's spend cap is reached (or would be passed by the reservation).</summary>
    SpendCapReached,

    /// <summary>The account already holds the most outstanding reservations allowed (<see cref="AdmissionDecision.Limit"/>).</summary>
    TooManyReservations,

    /// <summary>The reservation's request id is longer than <see cref="AccountRowBudget.MaxReservationRequestIdLength"/>.</summary>
    RequestIdTooLong,

    /// <summary>The request id already holds a reservation of other credits: the same key with another body (<see cref="AdmissionDecision.Reservation"/> is the first).</summary>
    ReservationConflict,

    /// <summary>The named project's or API key's monthly budget is reached (or would be passed by the reservation); <see cref="AdmissionDecision.Budget"/> says which.</summary>
    BudgetReached,

    /// <summary>The named project's or API key's own per-minute limit is reached; <see cref="AdmissionDecision.Budget"/> says which.</summary>
    BudgetRateLimited,
}

/// <summary>Who inside the account a request is for: the project and API key whose budgets it counts against.</summary>
/// <param name="ProjectId">The project, or null.</param>
/// <param name="ApiKeyId">The API key, or null.</param>
public sealed record AdmissionScopes(string? ProjectId, string? ApiKeyId)
{
    /// <summary>A request that names neither.</summary>
    public static AdmissionScopes None { get; } = new(null, null);

    /// <summary>The budgets of <paramref name="account"/> this request counts against: the project's, then the key's.</summary>
    public IReadOnlyList<Budget> BudgetsIn(AccountState account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return [.. new[] { account.BudgetOf(BudgetScope.Project, ProjectId), account.BudgetOf(BudgetScope.ApiKey, ApiKeyId) }.OfType<Budget>()];
    }
}

/// <summary>The decision and what the rate-limit headers need.</summary>
/// <param name="Status">The decision.</param>
/// <param name="Plan">The account's plan, when known.</param>
/// <param name="Remaining">Requests left in the window after this one.</param>
/// <param name="Reset">How long until a place frees up (the window's oldest admission leaves it).</param>
public sealed record AdmissionDecision(AdmissionStatus Status, Plan? Plan, int Remaining, TimeSpan Reset)
{
    /// <summary>The reservation the admission holds (made now, or earlier by the same request id); null without one.</summary>
    public Reservation? Reservation { get; init; }

    /// <summary>The spend cap that refused the request, for the problem document.</summary>
    public SpendCap? SpendCap { get; init; }

    /// <summary>The account row's limit that refused the request, for the problem document.</summary>
    public RowLimit? Limit { get; init; }

    /// <summary>The project or API key budget that refused the request, for the problem document.</summary>
    public Budget? Budget { get; init; }

    /// <summary>With <see cref="ReservationRequest.Fit"/>: the rung reserved (admitted), or the cheapest rung, which did not fit either (refused).</summary>
    public FitChoice? Fitted { get; init; }
}

/// <summary>Credits one admission asks to reserve for its request.</summary>
/// <param name="RequestId">The request's id, which its job-completed message carries as the job id.</param>
/// <param name="Credits">The quoted credits.</param>
/// <param name="Usage">The quoted usage's <see cref="UsageFingerprint"/>, when the caller had usage to quote.</param>
public sealed record ReservationRequest(string RequestId, decimal Credits, string? Usage = null)
{
    /// <summary>
    /// When the caller asked to fit: the <see cref="FitLadder"/> rungs of its usage, richest first (the first is the request
    /// itself). Admission reserves the first one the account can pay for instead of refusing the request.
    /// </summary>
    public IReadOnlyList<FitChoice>? Fit { get; init; }
}

/// <summary>Admits requests against the plan's per-minute limit, credits and spend cap, exactly, across any number of instances.</summary>
/// <remarks>
/// Everything admission decides on lives in the account row: the sliding log, the reservations, the spend cap and the
/// latest period's totals (commits keep them there). A warm account costs one request: a merge of the admission
/// properties under the ETag this process last knew (from the ledger's cache, or from admission's own). Any other
/// writer of the row (a commit, a purchase, another instance's admission) changes that ETag, so the merge fails with
/// 412 and the contention pipeline decides again from a fresh read; two instances can never both take the last
/// place in a window or the last credits. A period row changes only in a transaction with its account row, which is
/// why the account's ETag vouches for the period totals too. An unlimited plan without a limit, cap or reservation
/// needs no write: it is answered from memory for <see cref="MeteringOptions.UnlimitedAdmissionRecheck"/>.
/// </remarks>
public sealed class RequestAdmission
{
    /// <summary>The most outstanding reservations one account may hold (they live in its row).</summary>
    public const int MaxReservations = AccountRowBudget.MaxReservations;

    private readonly AccountPartition _partition;
    private readonly PlanCatalog _plans;
    private readonly MeteringOptions _options;

    /// <summary>Creates the admission service.</summary>
    public RequestAdmission(AccountPartition partition, PlanCatalog plans, IOptions<MeteringOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _partition = partition;
        _plans = plans;
        _options = options.Value;
    }

    /// <summary>Counts one request for <paramref name="accountId"/>, or refuses it.</summary>
    public Task<AdmissionDecision> AdmitAsync(string accountId, CancellationToken cancellationToken) => AdmitAsync(accountId, null, cancellationToken);

    /// <summary>Counts one request for <paramref name="accountId"/> and, with <paramref name="reservation"/>, sets its credits aside; or refuses it.</summary>
    public Task<AdmissionDecision> AdmitAsync(string accountId, ReservationRequest? reservation, CancellationToken cancellationToken) =>
        AdmitAsync(accountId, reservation, AdmissionScopes.None, cancellationToken);

    /// <summary>
    /// Counts one request for <paramref name="accountId"/> and, with <paramref name="reservation"/>, sets its credits aside,
    /// against the account and the budgets of the project and API key <paramref name="scopes"/> names; or refuses it.
    /// </summary>
    public async Task<AdmissionDecision> AdmitAsync(string accountId, ReservationRequest? reservation, AdmissionScopes scopes, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentNullException.ThrowIfNull(scopes);
        // Another writer may change the account row first (412 on the merge): the gateway decides again from a fresh
        // read; a race still lost after its retries surfaces as the conflict (503, Retry-After).
        return await _partition.TransactAsync(accountId, (rows, ct) => DecideAsync(rows, reservation, scopes, ct), cancellationToken);
    }

    /// <summary>Credits left for admission: the plan's included credits not yet used in the period, and the grant credits left.</summary>
    /// <remarks>
    /// The one place admission's idea of "credits left" is computed; published balances use it too. Grants count only
    /// while unexpired at <paramref name="now"/> (as of the row's last write when null), and a grant pays what the account
    /// owes before any of it is left, so an account that owes more than it bought has nothing left and stays closed.
    /// </remarks>
    public static decimal CreditsLeft(PlanCatalog plans, AccountState account, BillingPeriod period, decimal includedUsed, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(account);
        // Included credits granted earlier in the month (a pro stretch) still count, as they do when jobs are billed.
        var grants = now is { } instant ? account.CreditsLeftAt(instant) : account.WalletRemaining;
        return Math.Max(0, account.Plans.IncludedCreditsFor(period, plans) - includedUsed) + grants;
    }

    private async Task<AdmissionDecision> DecideAsync(PartitionAttempt rows, ReservationRequest? reservation, AdmissionScopes scopes, CancellationToken ct)
    {
        var now = rows.Now;
        var period = BillingPeriod.Of(now);
        var fromMemory = rows.Knows(LedgerKeys.Account);
        var recent = rows.Knows(LedgerKeys.Account, _options.UnlimitedAdmissionRecheck);
        if (await rows.ReadAsync(LedgerKeys.Account, ct) is not { } row)
        {
            return new AdmissionDecision(AdmissionStatus.UnknownAccount, null, 0, TimeSpan.Zero);
        }

        var account = AccountState.FromEntity(row);
        var plan = Plan(account);
        var budgets = scopes.BudgetsIn(account);
        var writes = Writes(plan, reservation, budgets);
        if (!writes && fromMemory)
        {
            if (recent && account.SpendCap is null && !ChecksCredits(plan) && budgets.Count == 0)
            {
                // Nothing to count and nothing to check: an unlimited plan is answered from memory, without a request.
                return new AdmissionDecision(AdmissionStatus.Admitted, plan, int.MaxValue, TimeSpan.Zero);
            }

            // Nothing to write means no ETag to vouch for the copy: decide on the row as it is now.
            return await DecideFreshAsync(rows, reservation, scopes, now, period, ct);
        }

        var decision = await DecideOnAsync(rows, account, plan, writes, reservation, scopes, now, period, ct);
        // A refusal involves no write, so no ETag vouched for the copy: a purchase or a raised cap elsewhere may have
        // lifted it. Only a fresh read may refuse. (A full window stays full: a stale copy holds fewer admissions.)
        return fromMemory && decision.Status is AdmissionStatus.NoCredits or AdmissionStatus.SpendCapReached or AdmissionStatus.TooManyReservations
                or AdmissionStatus.RequestIdTooLong or AdmissionStatus.BudgetReached
            ? await DecideFreshAsync(rows, reservation, scopes, now, period, ct)
            : decision;
    }

    private async Task<AdmissionDecision> DecideFreshAsync(
        PartitionAttempt rows, ReservationRequest? reservation, AdmissionScopes scopes, DateTimeOffset now, BillingPeriod period, CancellationToken ct)
    {
        if (await rows.ReadStoredAsync(LedgerKeys.Account, ct) is not { } row)
        {
            return new AdmissionDecision(AdmissionStatus.UnknownAccount, null, 0, TimeSpan.Zero);
        }

        var account = AccountState.FromEntity(row);
        var plan = Plan(account);
        return await DecideOnAsync(rows, account, plan, Writes(plan, reservation, scopes.BudgetsIn(account)), reservation, scopes, now, period, ct);
    }

    private async Task<AdmissionDecision> DecideOnAsync(
        PartitionAttempt rows, AccountState account, Plan plan, bool writes, ReservationRequest? reservation, AdmissionScopes scopes,
        DateTimeOffset now, BillingPeriod period, CancellationToken ct)
    {
        var figures = PeriodFigures.For(account, period);
        if (figures is null && (reservation is not null || account.SpendCap is not null || ChecksCredits(plan)))
        {
            // A row that does not carry the period's totals yet: read them after the account row, so a commit in
            // between changes the ETag the merge below is conditional on. The merge then keeps them on the row.
            var row = await rows.ReadStoredAsync(LedgerKeys.Period(period), ct);
            figures = row is null ? new PeriodFigures(period.ToString(), 0, 0, 0) : PeriodBalance.FromEntity(row, period).Figures();
            if (account.LatestPeriod is null)
            {
                // Only a row that kept nothing learns them here; one that holds a later month (clock skew) keeps it.
                account.LatestPeriod = figures;
            }
        }

        var window = account.AdmissionLog is { Length: > 0 } log ? RateWindow.FromBytes(log) : RateWindow.Empty();
        window.Slide(now, Pricing.Plan.RateWindow);
        account.Reservations.RemoveAll(r => !r.ActiveAt(now));
        var reserved = account.Reservations.Sum(r => r.Credits);
        if (reservation is not null && account.Reservations.Find(r => r.RequestId == reservation.RequestId) is { } existing)
        {
            // The same request asking again (a client retry): it holds its reservation already and is not counted
            // twice. Other usage under the same id (other credits, or other usage of the same price) is not a retry, and
            // answering it with the first reservation would hide that the second was never reserved. A retry that asked
            // to fit holds whichever rung it was given.
            var held = reservation.Fit?.FirstOrDefault(rung => existing.IsSameAs(rung.Quote.Credits, UsageFingerprint.Of(rung.Usage)));
            return held is not null || (reservation.Fit is null && existing.IsSameAs(reservation.Credits, reservation.Usage))
                ? Decision(AdmissionStatus.Admitted, plan, window, now) with { Reservation = existing, Fitted = held }
                : Decision(AdmissionStatus.ReservationConflict, plan, window, now) with { Reservation = existing };
        }

        var leftBefore = figures is null ? 0 : CreditsLeft(_plans, account, period, figures.IncludedUsed, now);
        var limits = new AdmissionLimits(
            ChecksCredits(plan) ? leftBefore - reserved : null,
            figures is null ? null : account.SpendCap is { } spendCap ? new CapStanding(spendCap, plan, figures, leftBefore, reserved) : null,
            await StandingsAsync(rows, account, scopes, period, ct));

        FitChoice? fitted = null;
        if (reservation?.Fit is { Count: > 0 } rungs)
        {
            fitted = FitLadder.FirstCovered(rungs, credits => limits.Refusal(credits) is null);
            if (fitted is null)
            {
                // Not even the cheapest rung fits: refuse as the cheapest would have been refused.
                var cheapest = rungs.MinBy(rung => rung.Quote.Credits)!;
                return Refused(limits.Refusal(cheapest.Quote.Credits)!.Value, limits, plan, window, now) with { Fitted = cheapest };
            }

            reservation = reservation with { Credits = fitted.Quote.Credits, Usage = UsageFingerprint.Of(fitted.Usage) };
        }

        if (limits.Refusal(reservation?.Credits) is { } refused)
        {
            return Refused(refused, limits, plan, window, now);
        }

        if (plan.RateLimitPerMinute is { } limit && window.Count >= limit)
        {
            return Decision(AdmissionStatus.RateLimited, plan, window, now);
        }

        // A project's or key's own per-minute limit, under the plan's: its sliding log lives in the budget's window row.
        var windows = new List<(Budget Budget, RateWindow Window, TableEntity? Row)>();
        foreach (var budget in limits.Budgets.Select(b => b.Budget).Where(b => b.RequestsPerMinute is not null))
        {
            var windowRow = await rows.ReadAsync(budget.WindowRowKey, ct);
            var budgetWindow = RateWindow.FromBytes(Budget.WindowOf(windowRow));
            budgetWindow.Slide(now, Pricing.Plan.RateWindow);
            if (budgetWindow.Count >= budget.RequestsPerMinute)
            {
                return BudgetDecision(AdmissionStatus.BudgetRateLimited, budget, budgetWindow, plan, now);
            }

            windows.Add((budget, budgetWindow, windowRow));
        }

        if (!writes)
        {
            return new AdmissionDecision(AdmissionStatus.Admitted, plan, int.MaxValue, TimeSpan.Zero);
        }

        if (reservation is not null && AccountRowBudget.RefuseReservation(account, reservation.RequestId) is { } rowLimit)
        {
            var status = rowLimit == AccountRowBudget.Reservations ? AdmissionStatus.TooManyReservations : AdmissionStatus.RequestIdTooLong;
            return Decision(status, plan, window, now) with { Limit = rowLimit };
        }

        Reservation? made = null;
        if (reservation is not null)
        {
            made = new Reservation(reservation.RequestId, reservation.Credits, now + _options.ReservationTtl)
            {
                Usage = reservation.Usage,
                ProjectId = scopes.ProjectId,
                ApiKeyId = scopes.ApiKeyId,
            };
            account.Reservations.Add(made);
        }

        if (plan.RateLimitPerMinute is not null)
        {
            window.Admit(now);
        }

        account.AdmissionLog = window.ToBytes();
        // One transaction: the account row under its ETag and each budget window under its own, so no other
        // admission (or budget change) on any instance can slip between the decision and the write.
        var transaction = new LedgerTransaction(account.AccountId);
        transaction.Add(TableTransactionActionType.UpdateMerge, account.AdmissionEntity(), account.ETag!.Value);
        foreach (var (budget, budgetWindow, windowRow) in windows)
        {
            budgetWindow.Admit(now);
            transaction.Save(Budget.WindowEntity(account.AccountId, budget.WindowRowKey, budgetWindow.ToBytes()), windowRow?.ETag);
        }

        await rows.SubmitAsync(transaction, ct);
        return Decision(AdmissionStatus.Admitted, plan, window, now) with { Reservation = made, Fitted = fitted };
    }

    // Whether admitting writes anything: a reservation, the plan's window, or a budget's own window.
    private static bool Writes(Plan plan, ReservationRequest? reservation, IReadOnlyList<Budget> budgets) =>
        reservation is not null || plan.RateLimitPerMinute is not null || budgets.Any(b => b.RequestsPerMinute is not null);

    // The named budgets with their month's use (the scope's rollup row, read after the account row so a commit in
    // between changes the ETag the write is conditional on) and what the scope's outstanding reservations hold.
    private static async Task<IReadOnlyList<BudgetStanding>> StandingsAsync(
        PartitionAttempt rows, AccountState account, AdmissionScopes scopes, BillingPeriod period, CancellationToken ct)
    {
        var standings = new List<BudgetStanding>();
        foreach (var budget in scopes.BudgetsIn(account))
        {
            var rollup = await rows.ReadAsync(LedgerKeys.Rollup(Budget.ScopeName(budget.Scope), period, budget.Id), ct);
            var used = rollup is null ? 0 : rollup.GetDecimal("Credits");
            var reserved = account.Reservations.Where(r => r.CountsFor(budget.Scope, budget.Id)).Sum(r => r.Credits);
            standings.Add(new BudgetStanding(budget, used, reserved));
        }

        return standings;
    }

    private static AdmissionDecision Refused(AdmissionRefusal refusal, AdmissionLimits limits, Plan plan, RateWindow window, DateTimeOffset now) =>
        Decision(refusal.Status, plan, window, now) with
        {
            SpendCap = refusal.Status == AdmissionStatus.SpendCapReached ? limits.Cap?.Cap : null,
            Budget = refusal.Budget,
        };

    private static AdmissionDecision BudgetDecision(AdmissionStatus status, Budget budget, RateWindow window, Plan plan, DateTimeOffset now)
    {
        var reset = window.NextRelease(Pricing.Plan.RateWindow) is { } release && release > now ? release - now : TimeSpan.Zero;
        return new AdmissionDecision(status, plan, 0, reset) { Budget = budget };
    }

    private static bool ChecksCredits(Plan plan) => !plan.UnlimitedCredits && !plan.AllowsOverage;

    private Plan Plan(AccountState account) => _plans.TryGet(account.Plans.Current, out var p) ? p : _plans.Default;

    private static AdmissionDecision Decision(AdmissionStatus status, Plan plan, RateWindow window, DateTimeOffset now)
    {
        var limit = plan.RateLimitPerMinute ?? int.MaxValue;
        var reset = window.NextRelease(Pricing.Plan.RateWindow) is { } release && release > now ? release - now : TimeSpan.Zero;
        return new AdmissionDecision(status, plan, Math.Max(0, limit - window.Count), reset);
    }

}
