using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Ingestion;

namespace UsageProcessor.Metering.Http.Alerts;

/// <summary>Webhook subscriptions to alert thresholds: create (the signing secret is shown once), list, delete.</summary>
public sealed class AlertSubscriptionsApi(AlertSubscriptions subscriptions, AccountRegistry accounts, IOptions<MeteringOptions> options)
{
    /// <summary>Handles <c>POST /api/accounts/{accountId}/alert-subscriptions</c>.</summary>
    public async Task<IResult> CreateAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (document, problem) = await RequestBody.ReadAccountObjectAsync(
            request, accountId, "{\"kind\":\"credits-used-percent\",\"threshold\":80,\"webhookUrl\":\"https://...\"}", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var root = document!.RootElement;
            var errors = new List<FieldError>();
            var kind = RequestBody.OptionalString(root, "kind", errors);
            var threshold = RequestBody.OptionalDecimal(root, "threshold", errors);
            // Stored trimmed: surrounding spaces are a copy-and-paste slip, not part of the address.
            var webhookUrl = RequestBody.OptionalString(root, "webhookUrl", errors)?.Trim();
            if (!errors.Exists(e => e.Field == "kind") && (kind is null || !AlertKinds.Subscribable.Contains(kind)))
            {
                errors.Add(new FieldError("kind", $"must be one of {string.Join(", ", AlertKinds.Subscribable)}."));
            }

            if (!errors.Exists(e => e.Field == "threshold") && ThresholdProblem(kind, threshold) is { } thresholdReason)
            {
                errors.Add(new FieldError("threshold", thresholdReason));
            }

            if (!errors.Exists(e => e.Field == "webhookUrl")
                && WebhookAddressPolicy.Check(webhookUrl, options.Value.AllowLoopbackWebhooks) is { } urlReason)
            {
                errors.Add(new FieldError("webhookUrl", urlReason));
            }

            if (errors.Count > 0)
            {
                return ApiProblems.Invalid(errors);
            }

            AlertSubscription? created;
            try
            {
                // A balance-updated webhook has no threshold: every (coalesced) update is posted.
                created = await subscriptions.CreateAsync(accountId, kind!, threshold ?? 0, webhookUrl!, cancellationToken);
            }
            catch (InvalidOperationException e)
            {
                return ApiProblems.Conflict(e.Message);
            }
            catch (Storage.ContentionException e)
            {
                return ApiProblems.Contended(e.Message);
            }

            if (created is null)
            {
                return ApiProblems.UnknownAccount(accountId);
            }

            return Results.Json(
                new CreatedSubscription(created.Id, accountId, created.Kind, created.Threshold, created.WebhookUrl, created.CreatedAt, created.Secret),
                ApiJson.Options,
                statusCode: StatusCodes.Status201Created);
        }
    }

    /// <summary>Handles <c>GET /api/accounts/{accountId}/alert-subscriptions</c>; secrets are never listed.</summary>
    public async Task<IResult> ListAsync(string accountId, CancellationToken cancellationToken)
    {
        if (ApiProblems.CheckAccountId(accountId) is { } badId)
        {
            return badId;
        }

        if (await accounts.ReadAsync(accountId, cancellationToken) is null)
        {
            return ApiProblems.UnknownAccount(accountId);
        }

        var list = await subscriptions.ListAsync(accountId, cancellationToken);
        return Results.Json(
            new SubscriptionList(accountId, [.. list.Select(s => new SubscriptionItem(s.Id, s.Kind, s.Threshold, s.WebhookUrl, s.CreatedAt))]),
            ApiJson.Options);
    }

    /// <summary>Handles <c>DELETE /api/accounts/{accountId}/alert-subscriptions/{subscriptionId}</c>.</summary>
    public async Task<IResult> DeleteAsync(string accountId, string subscriptionId, CancellationToken cancellationToken)
    {
        if (ApiProblems.CheckAccountId(accountId) is { } badId)
        {
            return badId;
        }

        if (!AlertSubscriptions.IsValidId(subscriptionId))
        {
            return ApiProblems.Invalid("subscriptionId", "must be a subscription id such as sub_0123456789abcdef01234567.");
        }

        return await subscriptions.DeleteAsync(accountId, subscriptionId, cancellationToken)
            ? Results.NoContent()
            : ApiProblems.NotFound($"Subscription '{subscriptionId}' of account '{accountId}' does not exist.");
    }

    private static string? ThresholdProblem(string? kind, decimal? threshold) => (kind, threshold) switch
    {
        (AlertKinds.BalanceUpdated, null or 0) => null,
        (AlertKinds.BalanceUpdated, _) => "must be absent (or 0) for balance-updated, which posts every balance update.",
        (_, null) => "is required.",
        (AlertKinds.CreditsUsedPercent, { } t) when t is <= 0 or > 100 => "must be a percentage greater than 0 and at most 100.",
        (AlertKinds.GrantExpiring, { } t) when t is < 1 or > 366 || decimal.Truncate(t) != t => "must be a whole number of days from 1 to 366.",
        (_, { } t) when t <= 0 => "must be greater than 0.",
        (_, { } t) when t > 1_000_000_000m => "must be at most 1,000,000,000.",
        _ => null,
    };
}
