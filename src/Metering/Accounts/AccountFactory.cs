using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Accounts;

/// <summary>Makes the state of a new account, granting the sign-up bonus of its first plan.</summary>
public static class AccountFactory
{
    /// <summary>A new account on <paramref name="plan"/> from <paramref name="now"/>.</summary>
    public static AccountState Create(string accountId, Plan plan, PlanCatalog plans, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(plans);
        var account = new AccountState
        {
            AccountId = accountId,
            CreatedAt = now,
            Plans = new PlanHistory([new PlanChange(plan.Name, now)]),
            UpdatedAt = now,
            // A new account has no minute rows: every minute can be counted in the account row.
            RecentMinutesFrom = DateTimeOffset.MinValue,
            // Nor any billed period: admission can trust the month's totals to be zero without reading a period row.
            LatestPeriod = new PeriodFigures(BillingPeriod.Of(now).ToString(), 0, 0, 0),
        };
        GrantSignUpBonus(account, plan);
        return account;
    }

    /// <summary>The id of the sign-up bonus grant.</summary>
    public const string SignUpGrantId = "sign-up";

    /// <summary>Grants <paramref name="plan"/>'s sign-up bonus unless the account has had one before.</summary>
    /// <returns>Whether a bonus was granted.</returns>
    public static bool GrantSignUpBonus(AccountState account, Plan plan)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(plan);
        if (account.BonusGranted || plan.SignUpBonusCredits <= 0)
        {
            return false;
        }

        GrantBook.Grant(account, new CreditGrant
        {
            Id = SignUpGrantId,
            Reason = GrantReasons.SignUp,
            Credits = plan.SignUpBonusCredits,
            GrantedAt = account.UpdatedAt,
        });
        account.BonusGranted = true;
        return true;
    }
}
