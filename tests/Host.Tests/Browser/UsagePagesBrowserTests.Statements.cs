using System.Globalization;

namespace UsageProcessor.Host.Tests.Browser;

/// <summary>The statement a person reads: grouped lines whose sums are the statement's own totals.</summary>
public sealed partial class UsagePagesBrowserTests
{
    [Theory]
    [MemberData(nameof(Plans))]
    public async Task StatementHtml_EachPlan_GroupsSumToTheStatementTotals(string plan)
    {
        var (context, page, _) = await OpenAsync();
        await using var _ = context;
        var statement = await run.StatementAsync(AccountOf(plan));
        var totals = statement.GetProperty("totals");

        await page.SetContentAsync(await run.StatementHtmlAsync(AccountOf(plan)));

        async Task<decimal> SumAsync(string selector) =>
            (await page.EvalOnSelectorAllAsync<string[]>(selector, "rows => rows.map(r => r.dataset.credits)"))
            .Sum(c => decimal.Parse(c, CultureInfo.InvariantCulture));
        decimal Total(string field) => totals.GetProperty(field).GetDecimal();

        Assert.Equal(Total("usageCredits"), await SumAsync("#usage tbody tr"));
        Assert.Equal(Total("includedCredits") + Total("grantCredits") + Total("walletCredits"), await SumAsync("#paid tbody tr"));
        Assert.Equal(Total("overageCredits"), await SumAsync("#overage tbody tr"));
        Assert.Equal(Total("owedCredits"), await SumAsync("#owed tbody tr"));
        Assert.Equal(totals.GetProperty("amountDueUsd").GetDecimal(), decimal.Parse((await page.Locator("#amount-due").TextContentAsync())!, CultureInfo.InvariantCulture));

        // Grouped by product: fewer rows than usage lines would be fine, more never; and no internal rule name is shown.
        var usageLines = statement.GetProperty("lines").EnumerateArray().Count(l => l.GetProperty("kind").GetString() is "usage" or "prior-period-usage");
        Assert.InRange(await page.Locator("#usage tbody tr").CountAsync(), 1, usageLines);
        var text = await page.Locator("main").InnerTextAsync();
        Assert.DoesNotContain("FlatAgent", text, StringComparison.Ordinal);
        Assert.Contains("Invoice (document)", text, StringComparison.Ordinal);
        await ScreenshotAsync(page, $"statement-{plan}");
    }
}
