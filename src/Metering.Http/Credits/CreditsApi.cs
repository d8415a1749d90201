using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Http.Usage;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Usage;

namespace UsageProcessor.Metering.Http.Credits;

/// <summary>Credit grants, corrections and the activity trail over HTTP.</summary>
public sealed class CreditsApi(
    CreditGrants grants, GrantLifecycle lifecycle, AccountCorrections corrections, AccountActivity activity, AccountReads ledger, TimeProvider timeProvider)
{
    /// <summary>The page size of the grant list when none is asked for.</summary>
    public const int DefaultGrantLimit = 100;

    /// <summary>The page size of the activity trail when none is asked for.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The largest page of the activity trail.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The longest reason of a correction.</summary>
    public const int MaxReasonLength = 500;

    private static readonly string[] CsvColumns =
        ["id", "kind", "at", "actor", "reason", "reference", "credits", "jobId", "plan", "owedPaid", "draws"];

    /// <summary>Handles <c>POST /api/accounts/{accountId}/grants</c>.</summary>
    public async Task<IResult> GrantAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        var (ask, problem) = await RequestBody.BindAsync<GrantRequestBody, GrantRequest>(request, ApiProblems.AccountIdErrors(accountId), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (status, grant) = await grants.GrantAsync(accountId, ask!, cancellationToken);
        return status switch
        {
            GrantStatus.UnknownAccount => ApiProblems.NotFound($"Account '{accountId}' does not exist; create it with PUT first."),
            GrantStatus.Conflict => ApiProblems.Conflict(
                $"Reference '{ask!.Reference}' already granted {EntityValues.Format(grant!.Stored.Grant.Credits)} credits ({grant.Stored.Grant.Reason}); a reference grants once."),
            GrantStatus.TooManyGrants => RowLimitProblems.Reached(AccountRowBudget.LiveGrants, accountId),
            GrantStatus.AlreadyExpired => ApiProblems.Invalid(
                "expiresAt",
                string.Create(CultureInfo.InvariantCulture,
                    $"must be after now ({timeProvider.GetUtcNow().UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}); a grant that has expired would grant nothing. Leave it out for a grant that never expires.")),
            _ => Results.Json(ItemOf(accountId, grant!, status == GrantStatus.Repeated), ApiJson.Options),
        };
    }

    /// <summary>Handles <c>GET /api/accounts/{accountId}/grants</c>.</summary>
    public async Task<IResult> ListGrantsAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ApiProblems.CheckAccountId(accountId) is { } badId)
        {
            return badId;
        }

        var errors = new List<FieldError>();
        var limit = QueryParameters.Limit(request, DefaultGrantLimit, MaxLimit, errors);
        var after = QueryParameters.Cursor(request, GrantPages.CursorPrefix, "is not a cursor of this list; pass nextCursor from the previous page unchanged.", errors);
        var status = request.Query["status"].ToString() is { Length: > 0 } asked ? asked : null;
        if (status is not null && !GrantStatuses.All.Contains(status))
        {
            errors.Add(new FieldError("status", $"must be one of {string.Join(", ", GrantStatuses.All)}; got '{status}'."));
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        var list = await grants.ListAsync(accountId, cancellationToken);
        if (list is null)
        {
            return ApiProblems.UnknownAccount(accountId);
        }

        var account = await ledger.GetAccountAsync(accountId, cancellationToken);
        var now = timeProvider.GetUtcNow();
        var (page, next) = GrantPages.Page(list, status, limit, after);
        return Results.Json(new GrantList(
            accountId,
            account?.CreditsLeftAt(now) ?? 0,
            account?.OwedOutstanding ?? 0,
            [.. page.Select(g => ItemOf(accountId, g, null))],
            account is null ? 0 : GrantBook.LapsedAt(account, now),
            account?.VoidedCredits ?? 0,
            next is null ? null : QueryParameters.EncodeCursor(next)), ApiJson.Options);
    }

    /// <summary>Handles <c>POST /api/accounts/{accountId}/grants/{grantId}/void</c> and <c>.../expire</c> (<paramref name="action"/>).</summary>
    public async Task<IResult> ChangeGrantAsync(HttpRequest request, string accountId, string grantId, string action, CancellationToken cancellationToken)
    {
        var routeErrors = ApiProblems.AccountIdErrors(accountId).ToList();
        if (Identifiers.CheckGrantId(grantId) is { } badGrant)
        {
            routeErrors.Add(new FieldError("grantId", badGrant));
        }

        var (ask, problem) = await RequestBody.BindAsync<GrantChangeBody, GrantChangeBody>(request, routeErrors, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (status, grant) = await lifecycle.ChangeAsync(accountId, new GrantChange(grantId, action, ask!.Reason, ask.Actor), cancellationToken);
        return status switch
        {
            GrantChangeStatus.UnknownAccount => ApiProblems.UnknownAccount(accountId),
            GrantChangeStatus.UnknownGrant => ApiProblems.NotFound($"Account '{accountId}' has no grant '{grantId}'."),
            GrantChangeStatus.AlreadyVoided => ApiProblems.Conflict($"Grant '{grantId}' was voided; a voided grant has nothing left to expire."),
            _ => Results.Json(ItemOf(accountId, grant!, status == GrantChangeStatus.Repeated), ApiJson.Options),
        };
    }

    /// <summary>Handles <c>POST /api/accounts/{accountId}/adjustments</c>.</summary>
    public async Task<IResult> AdjustAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        var (ask, problem) = await RequestBody.BindAsync<AdjustmentRequestBody, AdjustmentRequest>(request, ApiProblems.AccountIdErrors(accountId), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (status, adjustment) = await corrections.AdjustAsync(accountId, ask!, cancellationToken);
        switch (status)
        {
            case AdjustmentStatus.UnknownAccount:
                return ApiProblems.NotFound($"Account '{accountId}' does not exist.");
            case AdjustmentStatus.UnknownJob:
                return ApiProblems.NotFound($"Job '{ask!.JobId}' was never billed to account '{accountId}'.");
            case AdjustmentStatus.AlreadyVoided:
                return ApiProblems.Conflict($"Job '{ask!.JobId}' was already voided by reference '{adjustment!.VoidedBy}'; a job is voided once.");
            case AdjustmentStatus.Conflict:
                return ApiProblems.Conflict(
                    $"Reference '{ask!.Reference}' already applied a {adjustment!.Request.Type} correction; a reference applies one correction once.");
            case AdjustmentStatus.TooManyGrants:
                return RowLimitProblems.Reached(AccountRowBudget.LiveGrants, accountId);
        }

        var account = await ledger.GetAccountAsync(accountId, cancellationToken);
        var now = timeProvider.GetUtcNow();
        var a = adjustment!;
        return Results.Json(new AdjustmentReceipt(
            accountId, a.Request.Reference, a.Request.Type, a.Request.JobId, a.Credits, [.. a.Draws.Select(DrawView.From)], a.OwedPaid,
            a.Request.Reason, a.Request.Actor, a.At, status == AdjustmentStatus.Repeated,
            account?.CreditsLeftAt(now) ?? 0, account?.OwedOutstanding ?? 0), ApiJson.Options);
    }

    /// <summary>Handles <c>GET /api/accounts/{accountId}/activity</c>.</summary>
    public async Task<IResult> ListActivityAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ApiProblems.CheckAccountId(accountId) is { } badId)
        {
            return badId;
        }

        var errors = new List<FieldError>();
        var limit = QueryParameters.Limit(request, DefaultLimit, MaxLimit, errors);
        var after = QueryParameters.Cursor(request, LedgerKeys.ActivityPrefix, "is not a cursor of this trail; pass nextCursor from the previous page unchanged.", errors);
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        if (await ledger.GetAccountAsync(accountId, cancellationToken) is null)
        {
            return ApiProblems.UnknownAccount(accountId);
        }

        var (entries, last) = await activity.ListAsync(accountId, limit, after, cancellationToken);
        var nextCursor = last is null ? null : QueryParameters.EncodeCursor(last);
        if (UsageApi.WantsCsv(request))
        {
            if (nextCursor is not null)
            {
                request.HttpContext.Response.Headers["Next-Cursor"] = nextCursor;
            }

            return Results.Text(ToCsv(entries), "text/csv", Encoding.UTF8);
        }

        return Results.Json(new ActivityPage(accountId, [.. entries.Select(ItemOf)], nextCursor), ApiJson.Options);
    }

    private static GrantItem ItemOf(string accountId, GrantBalance g, bool? repeated)
    {
        var s = g.Stored;
        return new(accountId, s.Grant.Id, s.Grant.Reason, s.Grant.Credits, g.Remaining, g.Status, s.Grant.Priority, s.Grant.ExpiresAt, s.Grant.GrantedAt,
            s.Actor, s.OwedPaid, repeated, s.Grant.EffectiveAt, g.Drawn, g.Lapsed, g.Voided, s.Grant.VoidedAt);
    }

    private static ActivityItem ItemOf(ActivityEntry e) =>
        new(e.Id, e.Kind, e.At, e.Actor, e.Reason, e.Reference, e.Credits, e.JobId, e.Plan, e.OwedPaid, e.Draws?.Select(DrawView.From).ToList());

    private static string ToCsv(IReadOnlyList<ActivityEntry> entries)
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', CsvColumns).Append("\r\n");
        foreach (var e in entries)
        {
            var draws = e.Draws is null
                ? null
                : string.Join(';', e.Draws.Select(d => d.GrantId is null ? $"{d.Source}={UsageApi.Number(d.Credits)}" : $"{d.Source}:{d.GrantId}={UsageApi.Number(d.Credits)}"));
            string?[] values =
            [
                e.Id, e.Kind, UsageApi.Instant(e.At), e.Actor, e.Reason, e.Reference, UsageApi.Number(e.Credits), e.JobId, e.Plan,
                UsageApi.Number(e.OwedPaid), draws,
            ];
            csv.AppendJoin(',', values.Select(UsageApi.Escape)).Append("\r\n");
        }

        return csv.ToString();
    }
}
