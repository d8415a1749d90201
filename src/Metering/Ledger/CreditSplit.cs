using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Ledger;

/// <summary>How one job's credits were paid: included credits, then wallet, then overage or owed.</summary>
public readonly record struct CreditSplit(decimal Included, decimal Wallet, decimal Overage, decimal Owed)
{
    /// <summary>Splits <paramref name="credits"/> by the plan's consumption order and applies it to the balances.</summary>
    /// <remarks>
    /// Unlimited plans take nothing from included credits or the wallet. Otherwise included monthly credits go first,
    /// then the wallet; what is left is overage where the plan allows it and owed where it does not.
    /// </remarks>
    public static CreditSplit Apply(decimal credits, Plan plan, decimal includedCredits, PeriodBalance period, AccountState account)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(account);
        if (plan.UnlimitedCredits)
        {
            return default;
        }

        var fromIncluded = Math.Min(credits, Math.Max(0, includedCredits - period.IncludedUsed));
        var rest = credits - fromIncluded;
        var fromWallet = Math.Min(rest, Math.Max(0, account.WalletRemaining));
        rest -= fromWallet;
        var split = plan.AllowsOverage
            ? new CreditSplit(fromIncluded, fromWallet, rest, 0)
            : new CreditSplit(fromIncluded, fromWallet, 0, rest);

        period.IncludedUsed += split.Included;
        period.WalletUsed += split.Wallet;
        period.OverageCredits += split.Overage;
        period.OwedCredits += split.Owed;
        account.WalletUsed += split.Wallet;
        return split;
    }
}
