using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Webhooks;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Http.Alerts;

/// <summary>Webhook subscriptions to alert thresholds: create (the signing secret is shown once), list, delete.</summary>
public sealed class AlertSubscriptionsApi(
    AlertSubscriptions subscriptions, AccountRegistry accounts, IOptions<MeteringOptions> options, WebhookDeliveryLog deliveryLog, SubscriptionHealthStore health)
{
    /// <summary>Handles <c>POST /api/accounts/{accountId}/alert-subscriptions</c>.</summary>
    public async Task<IResult> CreateAsync(HttpRequest request, string accountId, CancellationToken cancellationToken)
    {
        var (ask, problem) = await RequestBody.BindAsync<SubscriptionRequest, SubscriptionRequest, MeteringOptions>(
            request, options.Value, ApiProblems.AccountIdErrors(accountId), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        SubscriptionCreation creation;
        try
        {
            // A balance-updated webhook has no threshold: every (coalesced) update is posted.
            creation = await subscriptions.CreateAsync(accountId, ask!.Reference, ask.Kind, ask.Threshold ?? 0, ask.WebhookUrl, cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            return ApiProblems.Conflict(e.Message);
        }
        catch (Storage.ContentionException e)
        {
            return ApiProblems.Contended(e.Message);
        }

        if (creation is not { Subscription: { } subscription } || creation.Status == SubscriptionStatus.UnknownAccount)
        {
            return ApiProblems.UnknownAccount(accountId);
        }

        if (creation.Status == SubscriptionStatus.Conflict)
        {
            return ApiProblems.Conflict(
                $"Reference '{ask.Reference}' already created subscription '{subscription.Id}' ({subscription.Kind}, threshold {Money.Normalize(subscription.Threshold)}, {subscription.WebhookUrl}); a reference creates one subscription.");
        }

        // A repeat answers the first subscription whole, its secret included: the create it retries never got its answer.
        return Results.Json(
            new CreatedSubscription(subscription.Id, accountId, subscription.Kind, subscription.Threshold, subscription.WebhookUrl, subscription.CreatedAt,
                subscription.Secret, subscription.Reference, creation.Status == SubscriptionStatus.Repeated),
            ApiJson.Options,
            statusCode: creation.Status == SubscriptionStatus.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
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
            new SubscriptionList(accountId, [.. list.Select(s => SubscriptionItem.Of(s))]),
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

        if (!await subscriptions.DeleteAsync(accountId, subscriptionId, cancellationToken))
        {
            return ApiProblems.NotFound($"Subscription '{subscriptionId}' of account '{accountId}' does not exist.");
        }

        // Its history goes with it: a subscription created again under the same reference starts with a clean log.
        await health.ForgetAsync(accountId, subscriptionId, cancellationToken);
        await deliveryLog.ForgetAsync(accountId, subscriptionId, cancellationToken);
        return Results.NoContent();
    }

    /// <summary>Handles <c>POST /api/accounts/{accountId}/alert-subscriptions/{subscriptionId}/rotate-secret</c>.</summary>
    public async Task<IResult> RotateSecretAsync(HttpRequest request, string accountId, string subscriptionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<FieldError>(ApiProblems.AccountIdErrors(accountId));
        if (!AlertSubscriptions.IsValidId(subscriptionId))
        {
            errors.Add(new FieldError("subscriptionId", "must be a subscription id such as sub_0123456789abcdef01234567."));
        }

        var overlap = SecretRotation.DefaultOverlapMinutes;
        var text = request.Query["overlapMinutes"].ToString();
        if (text.Length > 0 && (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out overlap)
            || overlap > SecretRotation.MaxOverlapMinutes))
        {
            errors.Add(new FieldError("overlapMinutes", $"must be a whole number of minutes from 0 to {SecretRotation.MaxOverlapMinutes} (a week)."));
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        if (await accounts.ReadAsync(accountId, cancellationToken) is null)
        {
            return ApiProblems.UnknownAccount(accountId);
        }

        return await subscriptions.RotateSecretAsync(accountId, subscriptionId, TimeSpan.FromMinutes(overlap), cancellationToken) is { } rotated
            ? Results.Json(new RotatedSecret(rotated.Id, rotated.Secret, rotated.PreviousSecretExpiresAt), ApiJson.Options)
            : ApiProblems.NotFound($"Subscription '{subscriptionId}' of account '{accountId}' does not exist.");
    }
}
