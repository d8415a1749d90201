namespace UsageProcessor.Metering.Http.Models;

// The bodies these routes answer with. Handlers serialize exactly these types with ApiJson.Options, and the OpenAPI
// document takes its schemas from them, so the document cannot describe a field the answer does not have.

/// <summary>A custom model registered to an account, with the account's count and its plan's allowance (null: unlimited).</summary>
public sealed record CustomModelView(
    string AccountId, string ModelId, DateTimeOffset RegisteredAt, decimal CreditsPerPage, int Registered, string Plan, int? Allowance);
