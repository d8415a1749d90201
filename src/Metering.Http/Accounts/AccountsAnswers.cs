using System.Text.Json.Serialization;
using UsageProcessor.Metering.Accounts;

namespace UsageProcessor.Metering.Http.Accounts;

// The bodies these routes answer with. Handlers serialize exactly these types with ApiJson.Options, and the OpenAPI
// document takes its schemas from them, so the document cannot describe a field the answer does not have.

/// <summary>An account: its plan now, creation time, plan history and wallet.</summary>
public sealed record AccountView(string AccountId, [property: OpenApiValues("starter", "pro", "enterprise")] string Plan, DateTimeOffset CreatedAt, IReadOnlyList<PlanChange> PlanHistory, decimal WalletCredits);

/// <summary>The receipt of a credit purchase; <see cref="Repeated"/> is true when the reference had already added it.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Reference">The purchase's reference.</param>
/// <param name="Credits">Credits bought.</param>
/// <param name="WalletCredits">Grant credits left right after.</param>
/// <param name="PurchasedAt">When it was bought.</param>
/// <param name="Repeated">Whether the reference had already added it.</param>
/// <param name="EffectiveAt">When the credits start counting; absent for credits that count for any job.</param>
public sealed record PurchaseReceipt(string AccountId, string Reference, decimal Credits, decimal WalletCredits, DateTimeOffset PurchasedAt, bool Repeated,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? EffectiveAt = null);
