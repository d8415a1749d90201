using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Http.Accounts;
using UsageProcessor.Metering.Http.Usage;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Http.Credits;

/// <summary>Credit grants, corrections and the activity trail over HTTP.</summary>
public sealed class CreditsApi(CreditGrants grants, AccountCorrections corrections, AccountActivity activity, AccountReads ledger, TimeProvider timeProvider)
{
    /// <summary>The page size of the activity trail when none is asked for.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The largest page of the activity trail.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The longest reason of a correction.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>The longest actor name.</summary>
    public const int MaxActorLength = 100;

    private static readonly string[] CsvColumns =
        ["id", "kind", "at", "actor", "reason", "reference", "credits", "jobId", "plan", "owedPaid", "draws"];

    /// <summary>Handles <c>POST /api/accounts/{accountId}/grants</c>.</summary>
    public async Task<IResult> GrantAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (document, problem) = await RequestBody.ReadAccountObjectAsync(
            request, accountId, "{\"credits\":500,\"reason\":\"promotion\",\"reference\":\"promo-2026-12\"}", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var root = document!.RootElement;
            var errors = new List<FieldError>();
            var credits = RequestBody.OptionalDecimal(root, "credits", errors);
            AccountsApi.CheckCredits(credits, errors);
            var reason = RequestBody.OptionalString(root, "reason", errors);
            if (!errors.Exists(e => e.Field == "reason") && (reason is null || !GrantReasons.Grantable.Contains(reason)))
            {
                errors.Add(new FieldError("reason", $"must be one of {string.Join(", ", GrantReasons.Grantable)}."));
            }

            var reference = Reference(root, errors);
            var expiresAt = Instant(root, "expiresAt", errors);
            var priority = RequestBody.OptionalDecimal(root, "priority", errors);
            if (priority is { } p && (p < 0 || p > 100 || decimal.Truncate(p) != p))
            {
                errors.Add(new FieldError("priority", $"must be a whole number from 0 to 100; got {p}."));
            }

            var actor = Actor(root, errors, required: false) ?? "api";
            if (errors.Count > 0)
            {
                return ApiProblems.Invalid(errors);
            }

            var ask = new GrantRequest(reference!, credits!.Value, reason!, expiresAt, priority is { } pr ? (int)pr : null, actor);
            var (status, stored) = await grants.GrantAsync(accountId, ask, cancellationToken);
            return status switch
            {
                GrantStatus.UnknownAccount => ApiProblems.NotFound($"Account '{accountId}' does not exist; create it with PUT first."),
                GrantStatus.Conflict => ApiProblems.Conflict(
                    $"Reference '{reference}' already granted {stored!.Grant.Credits} credits ({stored.Grant.Reason}); a reference grants once."),
                GrantStatus.TooManyGrants => RowLimitProblems.Reached(AccountRowBudget.LiveGrants, accountId),
                _ => Results.Json(ItemOf(accountId, stored!, stored!.Grant.Remaining, stored.Grant.Remaining > 0 ? "active" : "exhausted",
                    status == GrantStatus.Repeated), ApiJson.Options),
            };
        }
    }

    /// <summary>Handles <c>GET /api/accounts/{accountId}/grants</c>.</summary>
    public async Task<IResult> ListGrantsAsync(string accountId, CancellationToken cancellationToken)
    {
        if (ApiProblems.CheckAccountId(accountId) is { } badId)
        {
            return badId;
        }

        var list = await grants.ListAsync(accountId, cancellationToken);
        if (list is null)
        {
            return ApiProblems.UnknownAccount(accountId);
        }

        var account = await ledger.GetAccountAsync(accountId, cancellationToken);
        var now = timeProvider.GetUtcNow();
        return Results.Json(new GrantList(
            accountId,
            account?.CreditsLeftAt(now) ?? 0,
            account?.OwedOutstanding ?? 0,
            [.. list.Select(g => ItemOf(accountId, g.Stored, g.Remaining, g.Status, null))]), ApiJson.Options);
    }

    /// <summary>Handles <c>POST /api/accounts/{accountId}/adjustments</c>.</summary>
    public async Task<IResult> AdjustAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (document, problem) = await RequestBody.ReadAccountObjectAsync(
            request, accountId, "{\"type\":\"void\",\"jobId\":\"job-1\",\"reference\":\"fix-1\",\"reason\":\"duplicate run\",\"actor\":\"ops@example.com\"}",
            cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var root = document!.RootElement;
            var errors = new List<FieldError>();
            var type = RequestBody.OptionalString(root, "type", errors);
            if (!errors.Exists(e => e.Field == "type") && (type is null || !AdjustmentTypes.All.Contains(type)))
            {
                errors.Add(new FieldError("type", $"must be one of {string.Join(", ", AdjustmentTypes.All)}."));
            }

            var reference = Reference(root, errors);
            var reason = RequestBody.OptionalString(root, "reason", errors);
            if (!errors.Exists(e => e.Field == "reason") && (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReasonLength))
            {
                errors.Add(new FieldError("reason", $"is required: 1 to {MaxReasonLength} characters saying why."));
            }

            var actor = Actor(root, errors, required: true);
            var jobId = RequestBody.OptionalString(root, "jobId", errors);
            var credits = RequestBody.OptionalDecimal(root, "credits", errors);
            if (type == AdjustmentTypes.Void)
            {
                if (!errors.Exists(e => e.Field == "jobId") && Identifiers.CheckJobId(jobId) is { } jobReason)
                {
                    errors.Add(new FieldError("jobId", jobReason));
                }

                if (credits is not null)
                {
                    errors.Add(new FieldError("credits", "must be absent for a void: the job's own credits go back."));
                }
            }
            else if (type is not null && AdjustmentTypes.All.Contains(type))
            {
                AccountsApi.CheckCredits(credits, errors);
                if (jobId is not null)
                {
                    errors.Add(new FieldError("jobId", $"must be absent for a {type}; void a job to give its credits back."));
                }
            }

            if (errors.Count > 0)
            {
                return ApiProblems.Invalid(errors);
            }

            var ask = new AdjustmentRequest(reference!, type!, jobId, credits, reason!, actor!);
            var (status, adjustment) = await corrections.AdjustAsync(accountId, ask, cancellationToken);
            switch (status)
            {
                case AdjustmentStatus.UnknownAccount:
                    return ApiProblems.NotFound($"Account '{accountId}' does not exist.");
                case AdjustmentStatus.UnknownJob:
                    return ApiProblems.NotFound($"Job '{jobId}' was never billed to account '{accountId}'.");
                case AdjustmentStatus.AlreadyVoided:
                    return ApiProblems.Conflict($"Job '{jobId}' was already voided by reference '{adjustment!.VoidedBy}'; a job is voided once.");
                case AdjustmentStatus.Conflict:
                    return ApiProblems.Conflict(
                        $"Reference '{reference}' already applied a {adjustment!.Request.Type} correction; a reference applies one correction once.");
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

    private static GrantItem ItemOf(string accountId, StoredGrant s, decimal remaining, string status, bool? repeated) =>
        new(accountId, s.Grant.Id, s.Grant.Reason, s.Grant.Credits, remaining, status, s.Grant.Priority, s.Grant.ExpiresAt, s.Grant.GrantedAt,
            s.Actor, s.OwedPaid, repeated);

    private static ActivityItem ItemOf(ActivityEntry e) =>
        new(e.Id, e.Kind, e.At, e.Actor, e.Reason, e.Reference, e.Credits, e.JobId, e.Plan, e.OwedPaid, e.Draws?.Select(DrawView.From).ToList());

    private static string? Reference(JsonElement root, List<FieldError> errors)
    {
        var reference = RequestBody.OptionalString(root, "reference", errors);
        if (!errors.Exists(e => e.Field == "reference") && (Identifiers.CheckPurchaseReference(reference) ?? ReservedReferences.Check(reference)) is { } reason)
        {
            errors.Add(new FieldError("reference", reason));
        }

        return reference;
    }

    private static string? Actor(JsonElement root, List<FieldError> errors, bool required)
    {
        var actor = RequestBody.OptionalString(root, "actor", errors);
        if (errors.Exists(e => e.Field == "actor"))
        {
            return null;
        }

        if (actor is null ? required : string.IsNullOrWhiteSpace(actor) || actor.Length > MaxActorLength)
        {
            errors.Add(new FieldError("actor", $"is required: 1 to {MaxActorLength} characters naming who asks."));
        }

        return actor;
    }

    private static DateTimeOffset? Instant(JsonElement root, string name, List<FieldError> errors)
    {
        var text = RequestBody.OptionalString(root, name, errors);
        if (text is null)
        {
            return null;
        }

        // An offset is required: an instant without one would depend on the server's zone.
        if (!DateTimeOffset.TryParseExact(text, ["yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var instant) || !(text.EndsWith('Z') || text.Contains('+', StringComparison.Ordinal) || text[^6] == '-'))
        {
            errors.Add(new FieldError(name, $"must be an ISO 8601 instant with an offset, such as 2027-01-01T00:00:00Z; got '{text}'."));
            return null;
        }

        // An expiry at the end of time would overflow the grace added to it on every later write of the account.
        if (InstantBounds.Check(instant) is { } outOfBounds)
        {
            errors.Add(new FieldError(name, outOfBounds));
            return null;
        }

        return instant.ToUniversalTime();
    }

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
