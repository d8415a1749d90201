using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Webhooks;

namespace UsageProcessor.Metering.Http.Alerts;

/// <summary>What operators do with webhooks: read a subscription's delivery log, send a test, resend an alert, enable a disabled subscription.</summary>
public sealed class WebhookDeliveriesApi(
    AlertSubscriptions subscriptions, WebhookDeliveryLog log, WebhookDispatches dispatches, SubscriptionHealthStore health, AccountRegistry accounts)
{
    /// <summary>The longest continuation token taken: Azure Tables' own are far shorter.</summary>
    public const int MaxContinuationTokenLength = 1024;

    private const string SubscriptionIdReason = "must be a subscription id such as sub_0123456789abcdef01234567.";

    /// <summary>Handles <c>GET /api/accounts/{accountId}/alert-subscriptions/{subscriptionId}/deliveries</c>.</summary>
    public async Task<IResult> ListAsync(HttpRequest request, string accountId, string subscriptionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = Errors(accountId, subscriptionId);
        var outcome = request.Query["outcome"].ToString();
        if (outcome.Length > 0 && outcome is not (WebhookDeliveryLog.Failed or WebhookDeliveryLog.Succeeded))
        {
            errors.Add(new FieldError("outcome", "must be failed or succeeded."));
        }

        var token = request.Query["continuationToken"].ToString();
        if (token.Length > MaxContinuationTokenLength)
        {
            errors.Add(new FieldError("continuationToken", $"must be a token from a previous page (at most {MaxContinuationTokenLength} characters)."));
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        if (await subscriptions.GetAsync(accountId, subscriptionId, cancellationToken) is null)
        {
            return NoSubscription(accountId, subscriptionId);
        }

        WebhookDeliveryPage page;
        try
        {
            page = await log.ReadAsync(accountId, subscriptionId, outcome.Length > 0 ? outcome : null, token.Length > 0 ? token : null, cancellationToken);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 400)
        {
            return ApiProblems.Invalid("continuationToken", "must be a token from a previous page.");
        }

        return Results.Json(new DeliveryLogPage(accountId, subscriptionId, page.Items, page.ContinuationToken), ApiJson.Options);
    }

    /// <summary>Handles <c>POST /api/accounts/{accountId}/alert-subscriptions/{subscriptionId}/test</c>.</summary>
    public async Task<IResult> SendTestAsync(string accountId, string subscriptionId, CancellationToken cancellationToken)
    {
        var errors = Errors(accountId, subscriptionId);
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        var (status, id) = await dispatches.SendTestAsync(accountId, subscriptionId, cancellationToken);
        return Answer(status, id, WebhookDispatch.Test, accountId, subscriptionId, null);
    }

    /// <summary>Handles <c>POST /api/accounts/{accountId}/alerts/{alertId}/resend</c>.</summary>
    public async Task<IResult> ResendAsync(HttpRequest request, string accountId, string alertId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<FieldError>(ApiProblems.AccountIdErrors(accountId));
        if (!IsAlertId(alertId))
        {
            errors.Add(new FieldError("alertId", "must be an alert id such as alt_0123456789abcdef0123456789abcdef."));
        }

        var subscriptionId = request.Query["subscriptionId"].ToString();
        if (subscriptionId.Length > 0 && !AlertSubscriptions.IsValidId(subscriptionId))
        {
            errors.Add(new FieldError("subscriptionId", SubscriptionIdReason));
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        if (await accounts.ReadAsync(accountId, cancellationToken) is null)
        {
            return ApiProblems.UnknownAccount(accountId);
        }

        var one = subscriptionId.Length > 0 ? subscriptionId : null;
        var (status, id) = await dispatches.ResendAsync(accountId, alertId, one, cancellationToken);
        return Answer(status, id, WebhookDispatch.Resend, accountId, one, alertId);
    }

    /// <summary>Handles <c>POST /api/accounts/{accountId}/alert-subscriptions/{subscriptionId}/enable</c>.</summary>
    public async Task<IResult> EnableAsync(string accountId, string subscriptionId, CancellationToken cancellationToken)
    {
        var errors = Errors(accountId, subscriptionId);
        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        if (!await subscriptions.SetDisabledAsync(accountId, subscriptionId, null, cancellationToken))
        {
            return NoSubscription(accountId, subscriptionId);
        }

        // A fresh start: the streak that disabled it must not disable it again at its next failure.
        await health.ForgetAsync(accountId, subscriptionId, cancellationToken);
        var s = (await subscriptions.GetAsync(accountId, subscriptionId, cancellationToken))!;
        return Results.Json(SubscriptionItem.Of(s), ApiJson.Options);
    }

    /// <summary>Whether <paramref name="id"/> has the shape of an alert id.</summary>
    public static bool IsAlertId(string? id) =>
        id is { Length: 36 } && id.StartsWith("alt_", StringComparison.Ordinal) && !id.AsSpan(4).ContainsAnyExcept("0123456789abcdef");

    private static List<FieldError> Errors(string accountId, string subscriptionId)
    {
        var errors = new List<FieldError>(ApiProblems.AccountIdErrors(accountId));
        if (!AlertSubscriptions.IsValidId(subscriptionId))
        {
            errors.Add(new FieldError("subscriptionId", SubscriptionIdReason));
        }

        return errors;
    }

    private static IResult NoSubscription(string accountId, string subscriptionId) =>
        ApiProblems.NotFound($"Subscription '{subscriptionId}' of account '{accountId}' does not exist.");

    private static IResult Answer(DispatchStatus status, string? id, string dispatch, string accountId, string? subscriptionId, string? alertId) => status switch
    {
        DispatchStatus.Queued => Results.Json(new QueuedDispatch(id!, dispatch, accountId, subscriptionId, alertId), ApiJson.Options, statusCode: StatusCodes.Status202Accepted),
        DispatchStatus.UnknownAlert => ApiProblems.NotFound($"Alert '{alertId}' of account '{accountId}' does not exist."),
        DispatchStatus.Disabled => ApiProblems.Conflict(
            $"Subscription '{subscriptionId}' is disabled after failing continuously and receives nothing; POST .../alert-subscriptions/{subscriptionId}/enable first."),
        DispatchStatus.NoSubscription => ApiProblems.Conflict($"No enabled subscription of account '{accountId}' matches alert '{alertId}'."),
        _ => NoSubscription(accountId, subscriptionId ?? string.Empty),
    };
}
