using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace UsageProcessor.Host.Tests.Browser;

/// <summary>Each plan's page: the headline answers the plan's question with the API's figure; the page fits a phone.</summary>
public sealed partial class UsagePagesBrowserTests
{
    [Theory]
    [MemberData(nameof(Plans))]
    public async Task AccountPage_EachPlan_HeadlineIsThePlansBalanceFigure(string plan)
    {
        var (context, page, _) = await OpenAsync();
        await using var _ = context;
        var balance = await run.BalanceAsync(AccountOf(plan));

        await page.GotoAsync(await run.LinkAsync(AccountOf(plan)));

        var (field, expected) = HeadlineOf(plan, balance);
        var headline = page.Locator("#headline");
        Assert.Equal(field, await headline.GetAttributeAsync("data-field"));
        Assert.Equal(expected, decimal.Parse((await headline.TextContentAsync())!, CultureInfo.InvariantCulture));
        await ScreenshotAsync(page, $"usage-{plan}-desktop");
    }

    [Theory]
    [MemberData(nameof(Plans))]
    public async Task AccountPage_EachPlan_ShowsNoTileThatDoesNotApply(string plan)
    {
        var (context, page, _) = await OpenAsync();
        await using var _ = context;
        var balance = await run.BalanceAsync(AccountOf(plan));

        await page.GotoAsync(await run.LinkAsync(AccountOf(plan)));

        var fields = await page.EvalOnSelectorAllAsync<string[]>("#balance dd", "dds => dds.map(d => d.dataset.field)");
        var hasIncluded = balance.GetProperty("includedCredits").ValueKind == JsonValueKind.Number && balance.GetProperty("includedCredits").GetDecimal() > 0;
        foreach (var zero in new[] { "includedUsed", "overageCredits", "overageUsd", "voidedJobs", "lapsedCredits" }.Where(f => balance.GetProperty(f).GetDecimal() == 0))
        {
            if (!(hasIncluded && zero.StartsWith("included", StringComparison.Ordinal)) && !(plan == "pro" && zero.StartsWith("overage", StringComparison.Ordinal)))
            {
                Assert.DoesNotContain(zero, fields);
            }
        }

        Assert.Contains("usedCredits", fields);
        foreach (var field in fields)
        {
            Assert.Equal(balance.GetProperty(field!).GetRawText(), await page.Locator($"#balance dd[data-field={field}]").TextContentAsync());
        }
    }

    [Theory]
    [MemberData(nameof(Plans))]
    public async Task AccountPage_PhoneWidth_HasNoHorizontalScroll(string plan)
    {
        var context = await run.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 375, Height = 812 },
            DeviceScaleFactor = 2,
            IsMobile = true,
        });
        await using var _ = context;
        var page = await context.NewPageAsync();

        await page.GotoAsync(await run.LinkAsync(AccountOf(plan)));

        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[1], $"The page is {widths[0]} px wide in a {widths[1]} px viewport.");
        Assert.True(await page.Locator("#headline").IsVisibleAsync());
        await ScreenshotAsync(page, $"usage-{plan}-phone");
    }

    /// <summary>The balance field each plan's headline shows, and its value in the balance answer.</summary>
    private static (string Field, decimal Value) HeadlineOf(string plan, JsonElement balance)
    {
        decimal D(string field) => balance.GetProperty(field).ValueKind == JsonValueKind.Number ? balance.GetProperty(field).GetDecimal() : 0;
        return plan switch
        {
            "enterprise" => ("usedUsd", D("usedUsd")),
            "pro" => ("includedRemaining", D("includedRemaining")),
            _ when D("owedOutstanding") > 0 => ("owedOutstanding", D("owedOutstanding")),
            _ => ("creditsLeft", D("includedRemaining") + D("walletCredits")),
        };
    }
}
