namespace UsageProcessor.Metering.Http.Pricing;

// The bodies these routes answer with. Handlers serialize exactly these types with ApiJson.Options, and the OpenAPI
// document takes its schemas from them, so the document cannot describe a field the answer does not have.

/// <summary>The price of one job.</summary>
public sealed record JobQuote(
    decimal Credits, decimal Usd, string Unit, int Units, decimal BasePerUnit, decimal Multiplier,
    [property: OpenApiValues("flex", "standard", "priority")] string ServiceTier, string PriceBook)
{
    /// <summary>Tells a one-job answer of <c>POST /api/quote</c> from a batch (<see cref="QuoteBatch.Kind"/>): the union's discriminator.</summary>
    [OpenApiValues("job")]
    public string Kind => "job";
}

/// <summary>The prices of several jobs, in request order, with exact totals.</summary>
public sealed record QuoteBatch(IReadOnlyList<JobQuote> Items, QuoteTotals Totals, string PriceBook)
{
    /// <summary>Tells a batch answer of <c>POST /api/quote</c> from one job (<see cref="JobQuote.Kind"/>): the union's discriminator.</summary>
    [OpenApiValues("batch")]
    public string Kind => "batch";
}

/// <summary>Exact sums over a quote batch; <see cref="UsdRounded"/> is for display only.</summary>
public sealed record QuoteTotals(int Jobs, decimal Credits, decimal Usd, decimal UsdRounded);

/// <summary>The price book versions, oldest first.</summary>
public sealed record PriceBookList(IReadOnlyList<PriceBookVersion> Items);

/// <summary>One price book version: it prices jobs completed from <see cref="EffectiveFrom"/> until <see cref="EffectiveUntil"/> (null: no newer version).</summary>
public sealed record PriceBookVersion(string Id, DateTimeOffset EffectiveFrom, DateTimeOffset? EffectiveUntil, string Source, bool Current, decimal CustomModelCreditsPerPage);
