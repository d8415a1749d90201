using UsageProcessor.Metering.Accounts;

namespace UsageProcessor.Metering.Http.Accounts;

// The bodies these routes answer with. Handlers serialize exactly these types with ApiJson.Options, and the OpenAPI
// document takes its schemas from them, so the document cannot describe a field the answer does not have.

/// <summary>An account: its plan now, creation time, plan history and wallet.</summary>
public sealed record AccountView(string AccountId, string Plan, DateTimeOffset CreatedAt, IReadOnlyList<PlanChange> PlanHistory, decimal WalletCredits);

/// <summary>The receipt of a credit purchase; <see cref="Repeated"/> is true when the reference had already added it.</summary>
public sealed record PurchaseReceipt(string AccountId, string Reference, decimal Credits, decimal WalletCredits, DateTimeOffset PurchasedAt, bool Repeated);
