using UsageProcessor.Metering.Http.Credits;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Http.Accounts;

// The bodies these routes read, as schemas. Each binds itself from JSON (RequestBody.BindAsync) so that a 400 names
// every bad field with its reason, which a deserializer stopping at the first error would not.

/// <summary>The body of <c>PUT /api/accounts/{accountId}</c>.</summary>
/// <param name="Plan">The plan to be on from now: starter, pro or enterprise.</param>
public sealed record PlanChoice([property: OpenApiValues("starter", "pro", "enterprise")] string Plan) : IRequestBody<Plan, PlanCatalog>
{
    static string IRequestBody<Plan, PlanCatalog>.Example => "{\"plan\":\"pro\"}";

    static Plan? IRequestBody<Plan, PlanCatalog>.Bind(BodyFields body, PlanCatalog plans)
    {
        var name = body.String("plan");
        if (!body.IsRefused("plan") && (name is null || !plans.TryGet(name, out _)))
        {
            body.Refuse("plan", $"must be one of {string.Join(", ", plans.Names)}.");
        }

        return body.Valid ? plans.Get(name!) : null;
    }
}

/// <summary>The body of <c>POST /api/accounts/{accountId}/credits</c>.</summary>
/// <param name="Credits">Credits to add, from 0.0001 to 100,000,000, at most four decimal places.</param>
/// <param name="Reference">The purchase's own reference (such as an order number); one reference adds one amount once.</param>
/// <param name="EffectiveAt">An ISO 8601 instant with offset: jobs completed from then on draw on the credits (backdated or future-dated); any job when absent.</param>
public sealed record PurchaseRequest(decimal Credits, string Reference, DateTimeOffset? EffectiveAt = null) : IRequestBody<PurchaseRequest>
{
    static string IRequestBody<PurchaseRequest>.Example => "{\"credits\":500,\"reference\":\"order-123\"}";

    static PurchaseRequest? IRequestBody<PurchaseRequest>.Bind(BodyFields body)
    {
        var credits = CreditFields.Credits(body);
        var reference = CreditFields.Reference(body);
        var effectiveAt = body.Instant("effectiveAt");
        return body.Valid ? new PurchaseRequest(credits!.Value, reference!, effectiveAt) : null;
    }
}
