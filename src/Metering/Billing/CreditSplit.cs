using UsageProcessor.Metering.Accounts;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Billing;

/// <summary>How one job's credits were paid: included credits, then grants, then overage or owed.</summary>
/// <param name="Included">From the plan's included monthly credits.</param>
/// <param name="Wallet">From grants, all of them together (see <see cref="Draws"/> for each).</param>
/// <param name="Overage">Overage, on a plan that allows it.</param>
/// <param name="Owed">Owed, on a plan without overage.</param>
public readonly record struct CreditSplit(decimal Included, decimal Wallet, decimal Overage, decimal Owed)
{
    /// <summary>Where the credits came from, in the order drawn: included, each grant, then overage or owed; empty sources are left out.</summary>
    /// <remarks>Never null, also on <c>default(CreditSplit)</c>.</remarks>
    public IReadOnlyList<CreditDraw> Draws
    {
        get => _draws ?? [];
        init => _draws = value;
    }

    private readonly IReadOnlyList<CreditDraw>? _draws;

    /// <summary>Whether both splits take the same amounts from each kind of source (<see cref="Draws"/>, the detail, is left out).</summary>
    public bool Equals(CreditSplit other) =>
        Included == other.Included && Wallet == other.Wallet && Overage == other.Overage && Owed == other.Owed;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Included, Wallet, Overage, Owed);

    /// <summary>Splits <paramref name="credits"/> as if every grant in the row still counted (no completion instant to check expiry against).</summary>
    public static CreditSplit Apply(decimal credits, Plan plan, decimal includedCredits, PeriodBalance period, AccountState account) =>
        Apply(credits, plan, includedCredits, period, account, DateTimeOffset.MinValue);

    /// <summary>Splits <paramref name="credits"/> of a job completed at <paramref name="completedAt"/> by the consumption order and applies it to the balances.</summary>
    /// <remarks>
    /// Unlimited plans take nothing from included credits or grants. Otherwise included monthly credits go first, then
    /// the grants that count for the job (<see cref="GrantBook.Draw"/>); what is left is overage where the plan allows it
    /// and owed where it does not. Owed credits are also added to what the account owes, which the next grant pays first.
    /// </remarks>
    public static CreditSplit Apply(decimal credits, Plan plan, decimal includedCredits, PeriodBalance period, AccountState account, DateTimeOffset completedAt)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(account);
        if (plan.UnlimitedCredits)
        {
            return new CreditSplit(0, 0, 0, 0);
        }

        var draws = new List<CreditDraw>();
        var fromIncluded = Math.Min(credits, Math.Max(0, includedCredits - period.IncludedUsed));
        if (fromIncluded > 0)
        {
            draws.Add(new CreditDraw(CreditDraw.Included, fromIncluded));
        }

        var rest = credits - fromIncluded;
        var grants = GrantBook.Draw(account, rest, completedAt);
        draws.AddRange(grants);
        var fromGrants = grants.Sum(d => d.Credits);
        rest -= fromGrants;
        if (rest > 0)
        {
            draws.Add(new CreditDraw(plan.AllowsOverage ? CreditDraw.Overage : CreditDraw.Owed, rest));
        }

        var split = plan.AllowsOverage
            ? new CreditSplit(fromIncluded, fromGrants, rest, 0) { Draws = draws }
            : new CreditSplit(fromIncluded, fromGrants, 0, rest) { Draws = draws };

        period.IncludedUsed += split.Included;
        period.WalletUsed += split.Wallet;
        period.OverageCredits += split.Overage;
        period.OwedCredits += split.Owed;
        account.OwedOutstanding += split.Owed;
        return split;
    }
}
