namespace UsageProcessor.Metering.Http.Dashboard;

// The bodies these routes answer with. Handlers serialize exactly these types with ApiJson.Options, and the OpenAPI
// document takes its schemas from them, so the document cannot describe a field the answer does not have.

/// <summary>A signed, short-lived page link.</summary>
/// <param name="Url">The link to open, absolute, built from the request's scheme and host.</param>
/// <param name="Path">The same link without scheme and host.</param>
/// <param name="ExpiresAt">When it stops opening the page.</param>
public sealed record DashboardLink(string Url, string Path, DateTimeOffset ExpiresAt);
