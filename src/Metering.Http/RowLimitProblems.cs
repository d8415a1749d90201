using Microsoft.AspNetCore.Http;
using UsageProcessor.Metering.Accounts;

namespace UsageProcessor.Metering.Http;

/// <summary>The answer to a write refused by a limit of the account row (<see cref="AccountRowBudget"/>).</summary>
public static class RowLimitProblems
{
    /// <summary>A 409 naming <paramref name="limit"/> (in <c>limit</c> and <c>max</c>, and in the detail); nothing was stored.</summary>
    public static IResult Reached(RowLimit limit, string accountId)
    {
        ArgumentNullException.ThrowIfNull(limit);
        return Results.Problem(
            title: "Account limit reached.",
            detail: limit.Describe(accountId),
            statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?> { ["limit"] = limit.Name, ["max"] = limit.Max });
    }
}
