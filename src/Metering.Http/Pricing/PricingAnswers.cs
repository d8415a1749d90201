namespace UsageProcessor.Metering.Http.Pricing;

// The bodies these routes answer with. Handlers serialize exactly these types with ApiJson.Options, and the OpenAPI
// document takes its schemas from them, so the document cannot describe a field the answer does not have.

/// <summary>The price of one job.</summary>
public sealed record JobQuote(decimal Credits, decimal Usd, string Unit, int Units, decimal BasePerUnit, decimal Multiplier, string ServiceTier, string PriceBook);

/// <summary>The prices of several jobs, in request order, with exact totals.</summary>
public sealed record QuoteBatch(IReadOnlyList<JobQuote> Items, QuoteTotals Totals, string PriceBook);

/// <summary>Exact sums over a quote batch; <see cref="UsdRounded"/> is for display only.</summary>
public sealed record QuoteTotals(int Jobs, decimal Credits, decimal Usd, decimal UsdRounded);

/// <summary>The price book versions, oldest first.</summary>
public sealed record PriceBookList(IReadOnlyList<PriceBookVersion> Items);

/// <summary>One price book version: it prices jobs completed from <see cref="EffectiveFrom"/> until <see cref="EffectiveUntil"/> (null: no newer version).</summary>
public sealed record PriceBookVersion(string Id, DateTimeOffset EffectiveFrom, DateTimeOffset? EffectiveUntil, string Source, bool Current, decimal CustomModelCreditsPerPage);
