using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Partition;

namespace UsageProcessor.Metering.Http.Credits;

// The bodies these routes read, as schemas. Each binds itself from JSON (RequestBody.BindAsync) so that a 400 names
// every bad field with its reason, which a deserializer stopping at the first error would not.

/// <summary>The body of <c>POST /api/accounts/{accountId}/grants</c>.</summary>
/// <param name="Credits">Credits to grant, from 0.0001 to 100,000,000, at most four decimal places.</param>
/// <param name="Reason">promotion, support, sign-up or purchase.</param>
/// <param name="Reference">The idempotency reference, also the grant's id; one reference grants once.</param>
/// <param name="ExpiresAt">An ISO 8601 instant with offset: a job completed at or after it does not draw on the grant. Never when absent.</param>
/// <param name="Priority">0 to 100, lower drawn first; 50 when absent.</param>
/// <param name="Actor">Who grants (kept in the trail); api when absent.</param>
/// <param name="EffectiveAt">An ISO 8601 instant with offset, before expiresAt: a job completed before it does not draw on the grant (backdated or future-dated). Any job when absent.</param>
public sealed record GrantRequestBody(decimal Credits, string Reason, string Reference, DateTimeOffset? ExpiresAt = null, int? Priority = null, string? Actor = null,
    DateTimeOffset? EffectiveAt = null)
    : IRequestBody<GrantRequest>
{
    static string IRequestBody<GrantRequest>.Example => "{\"credits\":500,\"reason\":\"promotion\",\"reference\":\"promo-2026-12\"}";

    static GrantRequest? IRequestBody<GrantRequest>.Bind(BodyFields body)
    {
        var credits = CreditFields.Credits(body);
        var reason = body.String("reason");
        if (!body.IsRefused("reason") && (reason is null || !GrantReasons.Grantable.Contains(reason)))
        {
            body.Refuse("reason", $"must be one of {string.Join(", ", GrantReasons.Grantable)}.");
        }

        var reference = CreditFields.Reference(body);
        var expiresAt = body.Instant("expiresAt");
        var effectiveAt = body.Instant("effectiveAt");
        if (effectiveAt is { } from && expiresAt is { } until && from >= until)
        {
            // [effectiveAt, expiresAt) would be empty: a grant no job could ever draw on.
            body.Refuse("effectiveAt", "must be before expiresAt: the grant counts for jobs completed in [effectiveAt, expiresAt).");
        }

        var priority = body.Decimal("priority");
        if (priority is { } p && (p < 0 || p > 100 || decimal.Truncate(p) != p))
        {
            body.Refuse("priority", $"must be a whole number from 0 to 100; got {p}.");
        }

        var actor = CreditFields.Actor(body, required: false) ?? "api";
        return body.Valid ? new GrantRequest(reference!, credits!.Value, reason!, expiresAt, priority is { } pr ? (int)pr : null, actor, effectiveAt) : null;
    }
}

/// <summary>The body of <c>POST /api/accounts/{accountId}/grants/{grantId}/void</c> and <c>.../expire</c>.</summary>
/// <param name="Reason">Why, 1 to 500 characters (kept in the trail).</param>
/// <param name="Actor">Who asks, 1 to 100 characters (kept in the trail).</param>
public sealed record GrantChangeBody(string Reason, string Actor) : IRequestBody<GrantChangeBody>
{
    static string IRequestBody<GrantChangeBody>.Example => "{\"reason\":\"campaign withdrawn\",\"actor\":\"ops@example.com\"}";

    static GrantChangeBody? IRequestBody<GrantChangeBody>.Bind(BodyFields body)
    {
        var reason = CreditFields.Reason(body);
        var actor = CreditFields.Actor(body, required: true);
        return body.Valid ? new GrantChangeBody(reason!, actor!) : null;
    }
}

/// <summary>The body of <c>POST /api/accounts/{accountId}/adjustments</c>.</summary>
/// <param name="Type">void (needs jobId), credit or debit (need credits).</param>
/// <param name="Reference">The idempotency reference; one reference applies once.</param>
/// <param name="Reason">Why, 1 to 500 characters (kept in the trail).</param>
/// <param name="Actor">Who asks, 1 to 100 characters (kept in the trail).</param>
/// <param name="JobId">For void: the billed job.</param>
/// <param name="Credits">For credit and debit: from 0.0001 to 100,000,000, at most four decimal places.</param>
public sealed record AdjustmentRequestBody(
    [property: OpenApiValues(typeof(AdjustmentTypes), nameof(AdjustmentTypes.All))] string Type,
    string Reference, string Reason, string Actor, string? JobId = null, decimal? Credits = null)
    : IRequestBody<AdjustmentRequest>
{
    static string IRequestBody<AdjustmentRequest>.Example =>
        "{\"type\":\"void\",\"jobId\":\"job-1\",\"reference\":\"fix-1\",\"reason\":\"duplicate run\",\"actor\":\"ops@example.com\"}";

    static AdjustmentRequest? IRequestBody<AdjustmentRequest>.Bind(BodyFields body)
    {
        var type = body.String("type");
        if (!body.IsRefused("type") && (type is null || !AdjustmentTypes.All.Contains(type)))
        {
            body.Refuse("type", $"must be one of {string.Join(", ", AdjustmentTypes.All)}.");
        }

        var reference = CreditFields.Reference(body);
        var reason = CreditFields.Reason(body);

        var actor = CreditFields.Actor(body, required: true);
        var jobId = body.String("jobId");
        var credits = body.Decimal("credits");
        if (type == AdjustmentTypes.Void)
        {
            if (!body.IsRefused("jobId") && Identifiers.CheckJobId(jobId) is { } jobReason)
            {
                body.Refuse("jobId", jobReason);
            }

            if (credits is not null)
            {
                body.Refuse("credits", "must be absent for a void: the job's own credits go back.");
            }
        }
        else if (type is not null && AdjustmentTypes.All.Contains(type))
        {
            CreditFields.CheckCredits(credits, body);
            if (jobId is not null)
            {
                body.Refuse("jobId", $"must be absent for a {type}; void a job to give its credits back.");
            }
        }

        return body.Valid ? new AdjustmentRequest(reference!, type!, jobId, credits, reason!, actor!) : null;
    }
}

/// <summary>The body of <c>PUT /api/accounts/{accountId}/top-up</c>.</summary>
/// <param name="Threshold">Spendable credits below which a top-up is requested: greater than 0.</param>
/// <param name="Target">Spendable credits a top-up brings the account back to: greater than the threshold, at most 100,000,000.</param>
/// <param name="MonthlyMaximum">The most credits requested in one billing month: at least target − threshold, at most 1,000,000,000.</param>
public sealed record TopUpRequestBody(decimal Threshold, decimal Target, decimal MonthlyMaximum) : IRequestBody<AutoTopUp>
{
    static string IRequestBody<AutoTopUp>.Example => "{\"threshold\":500,\"target\":5000,\"monthlyMaximum\":20000}";

    static AutoTopUp? IRequestBody<AutoTopUp>.Bind(BodyFields body)
    {
        decimal? Required(string name, decimal max)
        {
            var value = body.Decimal(name);
            if (body.IsRefused(name))
            {
                return null;
            }

            if (value is not { } v)
            {
                body.Refuse(name, "is required.");
            }
            else if (v <= 0 || v > max || decimal.Remainder(v, CreditFields.CreditStep) != 0)
            {
                body.Refuse(name, $"must be greater than 0 and at most {EntityValues.Format(max)}, at most four decimal places.");
            }

            return value;
        }

        var threshold = Required("threshold", CreditFields.MaxCredits);
        var target = Required("target", CreditFields.MaxCredits);
        var maximum = Required("monthlyMaximum", SpendCaps.MaxMonthlyCredits);
        if (body.Valid && target <= threshold)
        {
            body.Refuse("target", "must be greater than threshold: a top-up brings the credits back above it.");
        }
        else if (body.Valid && maximum < target - threshold)
        {
            body.Refuse("monthlyMaximum", "must be at least target − threshold, or no top-up could ever be requested in full.");
        }

        return body.Valid ? new AutoTopUp(threshold!.Value, target!.Value, maximum!.Value) : null;
    }
}

/// <summary>The body of <c>POST /api/accounts/{accountId}/top-up/failures</c>.</summary>
/// <param name="Reference">The reference of the failed request (from its recharge-requested event).</param>
/// <param name="Reason">Why it failed, 1 to 500 characters (kept in the alert's log).</param>
public sealed record TopUpFailureBody(string Reference, string Reason) : IRequestBody<TopUpFailureBody>
{
    static string IRequestBody<TopUpFailureBody>.Example => "{\"reference\":\"topup-2026-12-1\",\"reason\":\"card declined\"}";

    static TopUpFailureBody? IRequestBody<TopUpFailureBody>.Bind(BodyFields body)
    {
        var reference = body.String("reference");
        if (!body.IsRefused("reference") && Identifiers.CheckPurchaseReference(reference) is { } referenceReason)
        {
            body.Refuse("reference", referenceReason);
        }

        var reason = CreditFields.Reason(body);
        return body.Valid ? new TopUpFailureBody(reference!, reason!) : null;
    }
}

/// <summary>The body of <c>PUT /api/accounts/{accountId}/spend-cap</c>.</summary>
/// <param name="MonthlyCredits">The cap, in credits per billing month: greater than 0, at most 1,000,000,000.</param>
/// <param name="AppliesTo">credits (the default: every credit billed in the month) or overage (only overage credits, for plans that allow overage).</param>
public sealed record SpendCapRequest(decimal MonthlyCredits, string? AppliesTo = null) : IRequestBody<SpendCap>
{
    static string IRequestBody<SpendCap>.Example => "{\"monthlyCredits\":5000,\"appliesTo\":\"credits\"}";

    static SpendCap? IRequestBody<SpendCap>.Bind(BodyFields body)
    {
        var credits = body.Decimal("monthlyCredits");
        var appliesTo = body.String("appliesTo");
        if (!body.IsRefused("monthlyCredits"))
        {
            if (credits is not { } c)
            {
                body.Refuse("monthlyCredits", "is required.");
            }
            else if (c <= 0 || c > SpendCaps.MaxMonthlyCredits)
            {
                body.Refuse("monthlyCredits", "must be greater than 0 and at most 1,000,000,000.");
            }
        }

        var basis = appliesTo switch
        {
            null or "credits" => SpendCapBasis.Credits,
            "overage" => SpendCapBasis.Overage,
            _ => (SpendCapBasis?)null,
        };
        if (basis is null && !body.IsRefused("appliesTo"))
        {
            body.Refuse("appliesTo", "must be credits or overage.");
        }

        return body.Valid ? new SpendCap(credits!.Value, basis!.Value) : null;
    }
}
