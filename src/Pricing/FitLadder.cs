namespace UsageProcessor.Pricing;

/// <summary>One rung of a <see cref="FitLadder"/>: a usage the caller could run instead, and its price.</summary>
/// <param name="Usage">The requested usage with its detail level, grounding and tier possibly lowered.</param>
/// <param name="Quote">Its price in the same book.</param>
/// <param name="Detail">The detail level this rung runs at.</param>
public sealed record FitChoice(JobUsage Usage, CreditQuote Quote, DetailLevel Detail)
{
    /// <summary>Whether this rung is the usage as it was asked for.</summary>
    public bool IsRequested { get; init; }
}

/// <summary>
/// The ways a job can be made cheaper without changing what it processes: a lower detail level, no grounding, a slower
/// tier. An admission that asks to <c>fit</c> takes the first rung its credits cover.
/// </summary>
/// <remarks>
/// Rungs are ordered richest first, by detail level, then grounding, then tier. Quality of the output (detail and grounding)
/// outranks speed (tier): a caller short of credits is better served by a hi-detail answer later than by a lo-detail one
/// now. Nothing on the ladder is ever richer than what was asked for, in any of the three, so a caller never gets (or pays
/// for) more than it requested. Quantities, the domain, the model and the outcome are never touched: they are what the job
/// is, not how well it is done.
/// </remarks>
public static class FitLadder
{
    /// <summary>
    /// The requested usage's rungs, richest first; the first is the request itself. Empty when the request cannot be
    /// priced (the caller reports its errors as for any quote).
    /// </summary>
    public static IReadOnlyList<FitChoice> Rungs(PriceBook book, JobUsage requested)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(requested);
        var asked = book.Quote(requested);
        if (!asked.IsSuccess)
        {
            return [];
        }

        // A priced usage has a valid detail level.
        var askedQuote = asked.Quote;
        var askedDetail = requested.Detail switch { "lo" => DetailLevel.Lo, "hi" => DetailLevel.Hi, _ => DetailLevel.Auto };

        // Tiers at or below the requested one's multiplier, dearest first (by name among equals, so the order is stable).
        var tiers = book.ServiceTiers
            .Where(t => t.Multiplier <= askedQuote.Multiplier)
            .OrderByDescending(t => t.Multiplier)
            .ThenBy(t => t.Name, StringComparer.Ordinal)
            .ToList();

        var rungs = new List<FitChoice>();
        for (var detail = askedDetail; detail >= DetailLevel.Lo; detail--)
        {
            foreach (var grounding in requested.Grounding ? [true, false] : new[] { false })
            {
                foreach (var tier in tiers)
                {
                    // The request itself keeps the caller's own spelling (an alias such as "auto"); a lowered rung names
                    // its detail level and tier canonically.
                    var isRequested = detail == askedDetail && grounding == requested.Grounding && tier.Name == askedQuote.ServiceTier;
                    if (isRequested)
                    {
                        rungs.Add(new FitChoice(requested, askedQuote, detail) { IsRequested = true });
                    }
                    else if (requested with { Detail = WireName(detail), Grounding = grounding, ServiceTier = tier.Name } is var usage
                        && book.Quote(usage) is { IsSuccess: true } lowered)
                    {
                        rungs.Add(new FitChoice(usage, lowered.Quote, detail));
                    }
                }
            }
        }

        return rungs;
    }

    /// <summary>The first rung <paramref name="covers"/> accepts, or null when none does.</summary>
    public static FitChoice? FirstCovered(IReadOnlyList<FitChoice> rungs, Func<decimal, bool> covers)
    {
        ArgumentNullException.ThrowIfNull(rungs);
        ArgumentNullException.ThrowIfNull(covers);
        foreach (var rung in rungs)
        {
            if (covers(rung.Quote.Credits))
            {
                return rung;
            }
        }

        return null;
    }

    /// <summary>The wire name of a detail level.</summary>
    public static string WireName(DetailLevel detail) => detail switch
    {
        DetailLevel.Lo => "lo",
        DetailLevel.Hi => "hi",
        _ => "auto",
    };
}
