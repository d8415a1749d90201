using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Accounts;

/// <summary>The rules of an account's credit grants: the order they are drawn in, granting, returning and folding. Pure.</summary>
/// <remarks>
/// Grants are drawn by priority (lower first), then soonest expiry (never-expiring last), then oldest, then id, so the
/// order is total and the same on every instance. A grant counts for a job completed strictly before its expiry.
/// </remarks>
public static class GrantBook
{
    /// <summary>How long after its expiry a grant stays in the account row, so a job completed before the expiry but billed late still draws on it.</summary>
    public static readonly TimeSpan LateJobGrace = TimeSpan.FromDays(35);

    /// <summary><paramref name="grants"/> in the order they are drawn.</summary>
    public static IEnumerable<CreditGrant> InDrawOrder(IEnumerable<CreditGrant> grants) =>
        grants.OrderBy(g => g.Priority)
            .ThenBy(g => g.ExpiresAt ?? DateTimeOffset.MaxValue)
            .ThenBy(g => g.GrantedAt)
            .ThenBy(g => g.Id, StringComparer.Ordinal);

    /// <summary>Grant credits a job completed at <paramref name="completedAt"/> could draw.</summary>
    public static decimal CreditsLeftAt(IEnumerable<CreditGrant> grants, DateTimeOffset completedAt) =>
        grants.Where(g => g.CountsFor(completedAt)).Sum(g => Math.Max(0, g.Remaining));

    /// <summary>Draws up to <paramref name="credits"/> from the grants a job completed at <paramref name="completedAt"/> may use, in draw order.</summary>
    /// <returns>One draw per grant used, in the order drawn; their sum is at most <paramref name="credits"/>.</returns>
    public static IReadOnlyList<CreditDraw> Draw(AccountState account, decimal credits, DateTimeOffset completedAt)
    {
        ArgumentNullException.ThrowIfNull(account);
        var draws = new List<CreditDraw>();
        var rest = credits;
        foreach (var grant in InDrawOrder(account.Grants.Where(g => g.CountsFor(completedAt) && g.Remaining > 0)).ToList())
        {
            if (rest <= 0)
            {
                break;
            }

            var take = Math.Min(rest, grant.Remaining);
            grant.Used += take;
            account.WalletUsed += take;
            rest -= take;
            draws.Add(new CreditDraw(CreditDraw.Grant, take, grant.Id));
        }

        return draws;
    }

    /// <summary>Adds <paramref name="grant"/> to the account; what the account owes is paid from it first.</summary>
    /// <returns>The credits of the grant that paid what was owed.</returns>
    public static decimal Grant(AccountState account, CreditGrant grant)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(grant);
        var paid = Math.Min(grant.Remaining, Math.Max(0, account.OwedOutstanding));
        grant.Used += paid;
        account.OwedOutstanding -= paid;
        account.OwedPaid += paid;
        account.WalletGranted += grant.Credits;
        account.WalletUsed += grant.Used;
        account.Grants.Add(grant);
        return paid;
    }

    /// <summary>Gives <paramref name="credits"/> back to grant <paramref name="grantId"/>.</summary>
    /// <param name="account">The account.</param>
    /// <param name="grantId">The grant drawn from.</param>
    /// <param name="credits">Credits to give back.</param>
    /// <param name="folded">The grant as stored in its own row, for a grant folded out of the account row; it comes back fully used, then gets the credits.</param>
    /// <returns>Whether the grant was found (in the row or as <paramref name="folded"/>).</returns>
    public static bool Return(AccountState account, string grantId, decimal credits, CreditGrant? folded)
    {
        ArgumentNullException.ThrowIfNull(account);
        var grant = account.Grants.Find(g => string.Equals(g.Id, grantId, StringComparison.Ordinal));
        if (grant is null)
        {
            if (folded is null)
            {
                return false;
            }

            grant = folded.Clone();
            grant.Used = grant.Credits - grant.Voided;
            account.Grants.Add(grant);
        }

        grant.Used -= credits;
        account.WalletUsed -= credits;
        if (grant.VoidedAt is not null)
        {
            // A voided grant keeps nothing to draw: what a correction gives back to it is voided too.
            grant.Voided += credits;
            account.VoidedCredits += credits;
        }

        return true;
    }

    /// <summary>Voids <paramref name="grant"/>: what it has left (lapsed credits included) is removed; what was drawn stays drawn.</summary>
    /// <returns>The credits removed; 0 for a grant voided before (nothing changes).</returns>
    public static decimal Void(AccountState account, CreditGrant grant, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(grant);
        if (grant.VoidedAt is not null)
        {
            return 0;
        }

        var removed = Math.Max(0, grant.Remaining);
        grant.Voided += removed;
        grant.VoidedAt = now;
        account.VoidedCredits += removed;
        return removed;
    }

    /// <summary>Expires <paramref name="grant"/> at <paramref name="now"/>: jobs completed from now on do not draw on it; what it has left lapses.</summary>
    /// <returns>Whether the expiry moved: false for a grant already expired at or before now.</returns>
    public static bool ExpireNow(CreditGrant grant, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(grant);
        if (grant.ExpiresAt is { } expires && expires <= now)
        {
            return false;
        }

        grant.ExpiresAt = now;
        return true;
    }

    /// <summary>Credits lapsed at <paramref name="now"/>: those of grants already folded away and what expired grants still in the row have left.</summary>
    public static decimal LapsedAt(AccountState account, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account.ExpiredCredits + account.Grants.Sum(g => g.LapsedAt(now));
    }

    /// <summary>Folds away grants that can no longer be drawn, so the account row stays bounded: used up, or expired longer than <see cref="LateJobGrace"/>.</summary>
    /// <remarks>Their own rows keep them for the trail; what an expired grant had left is added to <see cref="AccountState.ExpiredCredits"/>.</remarks>
    public static void Fold(AccountState account, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(account);
        // Saturating: a row may hold an expiry from before expiries were bounded (year 9999), where the sum overflows.
        foreach (var grant in account.Grants.Where(g => g.ExpiresAt is { } e && InstantMath.AddSaturating(e, LateJobGrace) <= now).ToList())
        {
            account.ExpiredCredits += Math.Max(0, grant.Remaining);
            account.Grants.Remove(grant);
        }

        account.Grants.RemoveAll(g => g.Remaining <= 0);
    }
}
