namespace UsageProcessor.Pricing;

/// <summary>Checks a parsed price book document and turns it into lookup tables.</summary>
internal static class PriceBookBuilder
{
    public static PriceBook Build(PriceBookDocument document, string source)
    {
        void Fail(string path, string reason) => throw new PriceBookFormatException(source, path, reason);

        if (string.IsNullOrWhiteSpace(document.Id))
        {
            Fail("$.id", "must not be empty.");
        }

        if (document.Segment.Seconds <= 0)
        {
            Fail("$.segment.seconds", "must be greater than 0.");
        }

        if (document.Segment.MinimumSegments < 1)
        {
            Fail("$.segment.minimumSegments", "must be at least 1.");
        }

        if (document.Families.Count == 0)
        {
            Fail("$.families", "must price at least one family.");
        }

        var families = new Dictionary<string, PriceRuleEntry>(StringComparer.Ordinal);
        foreach (var (family, price) in document.Families)
        {
            var path = $"$.families.{family}";
            if (!DomainName.IsValidFamily(family))
            {
                Fail(path, "a family name is lowercase letters, digits and '-'.");
            }

            families.Add(family, UnitPrice(price, PricingRule.Family, $"{family}.*", path, Fail));
        }

        var domains = new Dictionary<string, PriceRuleEntry>(StringComparer.Ordinal);
        void AddDomain(string domain, PriceRuleEntry rule, string path)
        {
            if (!DomainName.TrySplit(domain, out _, out _))
            {
                Fail(path, $"'{domain}' is not a family.name domain.");
            }

            if (!domains.TryAdd(domain, rule))
            {
                Fail(path, $"'{domain}' is priced more than once.");
            }
        }

        foreach (var (domain, price) in document.Domains ?? [])
        {
            var path = $"$.domains['{domain}']";
            AddDomain(domain, UnitPrice(price, PricingRule.Domain, domain, path, Fail), path);
        }

        var suffixes = new List<(string, PriceRuleEntry)>();
        var flatAgents = document.FlatAgents ?? [];
        for (var i = 0; i < flatAgents.Count; i++)
        {
            var agent = flatAgents[i];
            var path = $"$.flatAgents[{i}]";
            NonNegative(agent.CreditsPerPage, $"{path}.creditsPerPage", Fail);
            var rule = new PriceRuleEntry
            {
                Rule = PricingRule.FlatAgent,
                Unit = BillingUnit.Page,
                FlatCredits = agent.CreditsPerPage,
                Label = agent.Name,
            };
            var agentDomains = agent.Domains ?? [];
            for (var d = 0; d < agentDomains.Count; d++)
            {
                AddDomain(agentDomains[d] ?? string.Empty, rule, $"{path}.domains[{d}]");
            }

            var nameSuffixes = agent.NameSuffixes ?? [];
            for (var s = 0; s < nameSuffixes.Count; s++)
            {
                var suffix = nameSuffixes[s];
                if (suffix is null || suffix.Length < 2 || suffix.Contains('.', StringComparison.Ordinal))
                {
                    Fail($"{path}.nameSuffixes[{s}]", "a suffix is at least two characters and has no '.'.");
                }

                suffixes.Add((suffix!, rule));
            }
        }

        foreach (var (domain, agent) in document.Agents ?? [])
        {
            var path = $"$.agents['{domain}']";
            NonNegative(agent.BaseCredits, $"{path}.baseCredits", Fail);
            NonNegative(agent.CreditsPerToolCall, $"{path}.creditsPerToolCall", Fail);
            AddDomain(domain, new PriceRuleEntry
            {
                Rule = PricingRule.Agent,
                Unit = BillingUnit.Page,
                FlatCredits = agent.BaseCredits,
                CreditsPerToolCall = agent.CreditsPerToolCall,
                Label = domain,
            }, path);
        }

        NonNegative(document.CustomModel.CreditsPerPage, "$.customModel.creditsPerPage", Fail);
        var models = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (modelId, price) in document.CustomModel.Models ?? [])
        {
            var path = $"$.customModel.models['{modelId}']";
            if (ModelIds.Check(modelId) is { } reason)
            {
                Fail(path, $"a model id {reason}");
            }

            NonNegative(price.CreditsPerPage, $"{path}.creditsPerPage", Fail);
            models.Add(modelId, price.CreditsPerPage);
        }

        var tiers = new List<ServiceTierPrice>();
        foreach (var (name, multiplier) in document.ServiceTiers.Multipliers)
        {
            if (multiplier <= 0)
            {
                Fail($"$.serviceTiers.multipliers.{name}", "must be greater than 0.");
            }

            tiers.Add(new ServiceTierPrice(name, multiplier));
        }

        var defaultTier = tiers.Find(t => t.Name == document.ServiceTiers.Default);
        if (defaultTier is null)
        {
            Fail("$.serviceTiers.default", $"'{document.ServiceTiers.Default}' is not one of the multipliers.");
        }

        var aliases = new List<(string, ServiceTierPrice)>();
        foreach (var (alias, target) in document.ServiceTiers.Aliases ?? [])
        {
            var tier = tiers.Find(t => t.Name == target);
            if (tier is null)
            {
                Fail($"$.serviceTiers.aliases.{alias}", $"'{target}' is not one of the multipliers.");
            }

            aliases.Add((alias, tier!));
        }

        var outcomes = Outcomes(document.Outcomes, Fail);
        return PriceBook.Create(document, source, families, domains, models, [.. suffixes], [.. tiers], [.. aliases], defaultTier!, outcomes);
    }

    // A book without the section (every book written before outcomes existed) gets the shipped rule.
    private static OutcomeCharges Outcomes(OutcomesDocument? outcomes, Action<string, string> fail)
    {
        if (outcomes is null)
        {
            return OutcomeCharges.Default;
        }

        int? failedUnits = null;
        switch (outcomes.Failed.Charge)
        {
            case "free":
                failedUnits = 0;
                break;
            case "units" when outcomes.Failed.Units is >= 0:
                failedUnits = outcomes.Failed.Units;
                break;
            case "units":
                fail("$.outcomes.failed.units", "is required with charge 'units' and must be at least 0.");
                break;
            case "requested-units":
                break;
            default:
                fail("$.outcomes.failed.charge", $"'{outcomes.Failed.Charge}' is not one of free, units, requested-units.");
                break;
        }

        if (outcomes.Failed.Units is not null && outcomes.Failed.Charge != "units")
        {
            fail("$.outcomes.failed.units", "is only read with charge 'units'.");
        }

        if (outcomes.Partial.Units is not null)
        {
            fail("$.outcomes.partial.units", "is not read for partial jobs.");
        }

        var onProcessed = outcomes.Partial.Charge switch
        {
            "processed-units" => true,
            "requested-units" => false,
            _ => Fail<bool>(fail, "$.outcomes.partial.charge", $"'{outcomes.Partial.Charge}' is not one of processed-units, requested-units."),
        };
        return new OutcomeCharges(failedUnits, onProcessed);
    }

    private static T Fail<T>(Action<string, string> fail, string path, string reason)
    {
        fail(path, reason);
        return default!;
    }

    private static PriceRuleEntry UnitPrice(UnitPriceDocument price, PricingRule rule, string label, string path, Action<string, string> fail)
    {
        if (!BillingUnitNames.TryParse(price.Unit, out var unit))
        {
            fail($"{path}.unit", $"'{price.Unit}' is not one of page, image, segment.");
        }

        NonNegative(price.Credits.Lo, $"{path}.credits.lo", fail);
        NonNegative(price.Credits.Auto, $"{path}.credits.auto", fail);
        NonNegative(price.Credits.Hi, $"{path}.credits.hi", fail);
        if (price.GroundingPerUnit is { } grounding)
        {
            NonNegative(grounding, $"{path}.groundingPerUnit", fail);
        }

        return new PriceRuleEntry
        {
            Rule = rule,
            Unit = unit,
            CreditsByDetail = [price.Credits.Lo, price.Credits.Auto, price.Credits.Hi],
            GroundingPerUnit = price.GroundingPerUnit,
            Label = label,
        };
    }

    private static void NonNegative(decimal value, string path, Action<string, string> fail)
    {
        if (value < 0)
        {
            fail(path, "must not be negative.");
        }
    }
}
