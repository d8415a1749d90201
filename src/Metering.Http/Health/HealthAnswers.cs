namespace UsageProcessor.Metering.Http.Health;

// The bodies these routes answer with. Handlers serialize exactly these types with ApiJson.Options, and the OpenAPI
// document takes its schemas from them, so the document cannot describe a field the answer does not have.

/// <summary>Whether storage answers: <c>healthy</c> or <c>unhealthy</c>, and each check's <c>ok</c> or reason.</summary>
public sealed record HealthReport(string Status, HealthChecksView Checks);

/// <summary>The outcome of each storage check: <c>ok</c>, or why it failed.</summary>
public sealed record HealthChecksView(string Tables, string Queues);
