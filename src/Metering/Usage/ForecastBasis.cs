using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Usage;

/// <summary>Which credits a forecast watches run out: the plan's rule, with no I/O.</summary>
public static class ForecastBasis
{
    /// <summary>Pro (overage allowed): the included credits, after which overage is billed.</summary>
    public const string Included = "included";

    /// <summary>Starter (no overage): included credits and the wallet, after which work is owed.</summary>
    public const string IncludedAndWallet = "included-and-wallet";

    /// <summary>Unlimited plans: nothing runs out.</summary>
    public const string None = "none";

    /// <summary>The basis and the credits left on it.</summary>
    public static (string Basis, decimal? CreditsLeft) Of(Plan plan, decimal? includedRemaining, decimal walletRemaining)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.UnlimitedCredits)
        {
            return (None, null);
        }

        var included = Math.Max(0, includedRemaining ?? 0);
        return plan.AllowsOverage ? (Included, included) : (IncludedAndWallet, included + Math.Max(0, walletRemaining));
    }
}
