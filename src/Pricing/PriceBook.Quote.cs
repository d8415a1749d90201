using System.Collections.Concurrent;

namespace UsageProcessor.Pricing;

public sealed partial class PriceBook
{
    // Families of suffix-matched agents (insurance.*, legal.*) are not keys of any table; interning them keeps
    // quoting allocation-free. Bounded so that a stream of invented families cannot grow it without end.
    private const int MaxInternedFamilies = 1024;
    private readonly ConcurrentDictionary<string, string> _internedFamilies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _internedFamiliesBySpan;

    /// <summary>Prices <paramref name="usage"/>, or names every field that prevents it.</summary>
    public QuoteResult Quote(JobUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        List<UsageError>? errors = null;

        PriceRuleEntry? rule = null;
        var family = string.Empty;
        if (string.IsNullOrEmpty(usage.Domain))
        {
            AddError(ref errors, "domain", "is required.");
        }
        else if (!DomainName.TrySplit(usage.Domain, out var familySpan, out var nameSpan))
        {
            AddError(ref errors, "domain", "must be a lowercase family.name such as document.invoice (letters, digits, '-', '_', '.'; at most 128 characters).");
        }
        else
        {
            rule = Resolve(usage.Domain, familySpan, nameSpan, out family);
            if (rule is null)
            {
                AddError(ref errors, "domain", $"'{usage.Domain}' has no price: the '{familySpan}' family is not in price book {Id}.", UsageErrorKind.Unpriceable);
            }
        }

        if (!TryParseDetail(usage.Detail, out var detail))
        {
            AddError(ref errors, "detail", $"'{usage.Detail}' is not a detail level; use lo, auto or hi.");
        }

        if (!TryResolveServiceTier(usage.ServiceTier, out var tier))
        {
            AddError(ref errors, "serviceTier", $"'{usage.ServiceTier}' is not a service tier; use {DescribeTiers()}.");
        }

        // Quantities are checked whether or not the family reads them: an invalid value is an error even where unused,
        // and checking them before the rule means a bad domain does not hide them.
        var pages = CheckPages(usage.Pages, ref errors);
        var segments = CheckSegments(usage.DurationSeconds, ref errors);
        var toolCalls = CheckToolCalls(usage.ToolCalls, ref errors);
        var outcome = CheckOutcome(usage, ref errors);
        if (rule is null)
        {
            return QuoteResult.Failure(errors!);
        }

        var applied = rule.Rule;
        decimal basePerUnit;
        int units;
        switch (rule.Rule)
        {
            case PricingRule.FlatAgent:
                // Flat agents ignore detail, grounding and the custom-model flag by definition.
                units = Require(pages, "pages", rule, ref errors);
                basePerUnit = rule.FlatCredits;
                break;

            case PricingRule.Agent:
                units = Require(pages, "pages", rule, ref errors);
                var calls = Require(toolCalls, "toolCalls", rule, ref errors);
                if (usage.Grounding)
                {
                    AddError(ref errors, "grounding", $"the grounding add-on is not offered for {rule.Label}.");
                }

                basePerUnit = rule.FlatCredits + (rule.CreditsPerToolCall * calls);
                break;

            default:
                if (rule.Unit == BillingUnit.Segment)
                {
                    units = Require(segments, "durationSeconds", rule, ref errors);
                    if (usage.UsesCustomModel)
                    {
                        AddError(ref errors, usage.CustomModel ? "customModel" : "modelId", $"custom models are priced per page and are not offered for {rule.Label}.");
                    }
                }
                else
                {
                    units = Require(pages, "pages", rule, ref errors);
                }

                if (usage.UsesCustomModel && rule.Unit != BillingUnit.Segment)
                {
                    applied = PricingRule.CustomModel;
                    basePerUnit = CustomModelCreditsFor(usage.ModelId);
                }
                else
                {
                    basePerUnit = rule.CreditsByDetail[(int)detail];
                }

                if (usage.Grounding)
                {
                    if (rule.GroundingPerUnit is { } grounding)
                    {
                        basePerUnit += grounding;
                    }
                    else
                    {
                        AddError(ref errors, "grounding", $"the grounding add-on is not offered for {rule.Label}.");
                    }
                }

                break;
        }

        units = BilledUnits(outcome, units, usage, rule, ref errors);
        if (errors is not null)
        {
            return QuoteResult.Failure(errors);
        }

        var credits = basePerUnit * units * tier.Multiplier;
        return QuoteResult.Success(new CreditQuote(credits, rule.Unit, units, basePerUnit, tier.Multiplier, tier.Name, family, applied, Id, outcome));
    }

    private PriceRuleEntry? Resolve(string domain, ReadOnlySpan<char> family, ReadOnlySpan<char> name, out string familyName)
    {
        if (_domains.TryGetValue(domain, out var rule))
        {
            familyName = InternFamily(family);
            return rule;
        }

        foreach (var (suffix, flat) in _flatAgentSuffixes)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                familyName = InternFamily(family);
                return flat;
            }
        }

        if (_familiesBySpan.TryGetValue(family, out var key, out rule))
        {
            familyName = key;
            return rule;
        }

        familyName = string.Empty;
        return null;
    }

    private string InternFamily(ReadOnlySpan<char> family)
    {
        if (_internedFamiliesBySpan.TryGetValue(family, out var interned))
        {
            return interned;
        }

        var name = family.ToString();
        return _internedFamilies.Count < MaxInternedFamilies ? _internedFamilies.GetOrAdd(name, name) : name;
    }

    // What can be checked without the rule: the outcome's name, and whether processedUnits belongs with it.
    private static JobOutcome CheckOutcome(JobUsage usage, ref List<UsageError>? errors)
    {
        if (!JobOutcomeNames.TryParse(usage.Outcome, out var outcome))
        {
            AddError(ref errors, "outcome", $"'{usage.Outcome}' is not an outcome; use succeeded, failed or partial.");
            return outcome;
        }

        if (outcome == JobOutcome.Partial)
        {
            if (usage.ProcessedUnits is not { } processed)
            {
                AddError(ref errors, "processedUnits", "is required when outcome is partial: how much of the job was done.");
            }
            else if (processed < 0)
            {
                AddError(ref errors, "processedUnits", $"must be at least 0; got {processed}.");
            }
        }
        else if (usage.ProcessedUnits is not null)
        {
            AddError(ref errors, "processedUnits", $"is only sent with outcome partial; this job's outcome is {outcome.ToWireName()}.");
        }

        return outcome;
    }

    // The units the book bills for the job's outcome, from the units it asked for. A partial job's processed units are
    // in the quantity its price counts (pages or images, or seconds of media), never more than the job asked for, so a
    // partial job never costs more than the same job succeeded.
    private int BilledUnits(JobOutcome outcome, int requestedUnits, JobUsage usage, PriceRuleEntry rule, ref List<UsageError>? errors)
    {
        switch (outcome)
        {
            case JobOutcome.Failed:
                return _outcomes.FailedUnits is { } failedUnits ? Math.Min(failedUnits, requestedUnits) : requestedUnits;

            case JobOutcome.Partial when usage.ProcessedUnits is { } processed && processed >= 0:
                var perSegment = rule.Unit == BillingUnit.Segment;
                var (requested, field) = perSegment ? (usage.DurationSeconds, "durationSeconds") : (usage.Pages, "pages");
                if (requested is not { } asked)
                {
                    // Its own error is already named: the job's quantity is missing.
                    return 0;
                }

                if (!perSegment && !decimal.IsInteger(processed))
                {
                    AddError(ref errors, "processedUnits", $"must be a whole number of {rule.Unit.ToWireName()}s; got {processed}.");
                    return 0;
                }

                if (processed > asked)
                {
                    AddError(ref errors, "processedUnits", $"must be at most {field} ({asked}); got {processed}.");
                    return 0;
                }

                if (!_outcomes.PartialOnProcessedUnits)
                {
                    return requestedUnits;
                }

                return perSegment ? CheckSegments(processed, ref errors).Units : (int)processed;

            default:
                return requestedUnits;
        }
    }

    private static bool TryParseDetail(string? detail, out DetailLevel level)
    {
        switch (detail)
        {
            case null or "auto":
                level = DetailLevel.Auto;
                return true;
            case "lo":
                level = DetailLevel.Lo;
                return true;
            case "hi":
                level = DetailLevel.Hi;
                return true;
            default:
                level = DetailLevel.Auto;
                return false;
        }
    }

    // A checked quantity: absent, or present with its Units (0 when it was invalid and is already named as an error).
    private readonly record struct Quantity(bool Present, int Units);

    // The reason is built only when needed: quoting a valid usage allocates nothing.
    private int Require(Quantity quantity, string field, PriceRuleEntry rule, ref List<UsageError>? errors)
    {
        if (!quantity.Present)
        {
            var pricedPer = field switch
            {
                "durationSeconds" => $"{SegmentSeconds}-second segment",
                "toolCalls" => "tool call",
                _ => rule.Unit.ToWireName(),
            };
            AddError(ref errors, field, $"is required: {rule.Label} is priced per {pricedPer}.");
        }

        return quantity.Units;
    }

    private static Quantity CheckPages(decimal? value, ref List<UsageError>? errors)
    {
        if (value is not { } pages)
        {
            return default;
        }

        if (pages < 1 || !decimal.IsInteger(pages) || pages > int.MaxValue)
        {
            AddError(ref errors, "pages", $"must be a whole number from 1 to {int.MaxValue}; got {pages}.");
            return new Quantity(true, 0);
        }

        return new Quantity(true, (int)pages);
    }

    private Quantity CheckSegments(decimal? value, ref List<UsageError>? errors)
    {
        if (value is not { } seconds)
        {
            return default;
        }

        if (seconds < 0)
        {
            AddError(ref errors, "durationSeconds", $"must be at least 0; got {seconds}.");
            return new Quantity(true, 0);
        }

        // ceil(s / n) == ceil(ceil(s) / n) for a whole n, and whole-number division is several times faster than decimal.
        var n = _wholeSegmentSeconds;
        var segments = n > 0 && seconds < 1_000_000_000_000m
            ? (decimal)((((long)decimal.Ceiling(seconds)) + n - 1) / n)
            : decimal.Ceiling(seconds / SegmentSeconds);
        if (segments > int.MaxValue)
        {
            AddError(ref errors, "durationSeconds", $"is too long to bill; got {seconds}.");
            return new Quantity(true, 0);
        }

        return new Quantity(true, Math.Max(MinimumSegments, (int)segments));
    }

    private static Quantity CheckToolCalls(decimal? value, ref List<UsageError>? errors)
    {
        if (value is not { } calls)
        {
            return default;
        }

        if (calls < 0 || !decimal.IsInteger(calls) || calls > int.MaxValue)
        {
            AddError(ref errors, "toolCalls", $"must be a whole number of at least 0; got {calls}.");
            return new Quantity(true, 0);
        }

        return new Quantity(true, (int)calls);
    }

    private string DescribeTiers()
    {
        var names = _tiers.Select(t => t.Name).Concat(_tierAliases.Select(a => a.Alias));
        return string.Join(", ", names);
    }

    private static void AddError(ref List<UsageError>? errors, string field, string reason, UsageErrorKind kind = UsageErrorKind.Invalid) =>
        (errors ??= []).Add(new UsageError(field, reason, kind));
}
