using System.Globalization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using UsageProcessor.Metering.Http.Dashboard;

namespace UsageProcessor.Host.Tests.Browser;

/// <summary>The usage pages in headless chromium against a real self-host over Azurite.</summary>
/// <remarks>Set <c>METERING_SCREENSHOTS=1</c> to save a screenshot of each page to docs/screenshots/ (the README shows them).</remarks>
public sealed partial class UsagePagesBrowserTests(UsagePagesRun run) : IClassFixture<UsagePagesRun>
{
    private async Task<(IBrowserContext Context, IPage Page, List<string> Requests)> OpenAsync()
    {
        var context = await run.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var requests = new List<string>();
        page.Request += (_, r) => requests.Add(r.Url);
        return (context, page, requests);
    }

    [Fact]
    public async Task AccountPage_RealRun_ShowsTheExactBalanceAndOneBarPerDayWithData()
    {
        var (context, page, requests) = await OpenAsync();
        await using var _ = context;
        var balance = await run.BalanceAsync(UsagePagesRun.Account);

        var response = await page.GotoAsync(await run.LinkAsync(UsagePagesRun.Account));

        Assert.Equal(200, response!.Status);
        Assert.Equal(UsagePagesRun.SeededCredits, balance.GetProperty("usedCredits").GetDecimal());
        Assert.Equal(
            UsagePagesRun.SeededCredits.ToString(CultureInfo.InvariantCulture),
            await page.Locator("dd[data-field=usedCredits]").TextContentAsync());
        foreach (var field in new[] { "usedUsd", "jobs", "walletCredits", "walletUsed", "owedCredits" })
        {
            Assert.Equal(balance.GetProperty(field).GetRawText(), await page.Locator($"dd[data-field={field}]").TextContentAsync());
        }

        var bars = page.Locator("svg#daily-chart g.bar");
        Assert.Equal(run.Days.Count, await bars.CountAsync());
        var days = new List<string>();
        for (var i = 0; i < await bars.CountAsync(); i++)
        {
            days.Add((await bars.Nth(i).GetAttributeAsync("data-day"))!);
            Assert.Equal("12", await bars.Nth(i).GetAttributeAsync("data-credits"));
        }

        Assert.Equal(run.Days.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), days);
        Assert.Equal(2, await page.Locator("svg#daily-chart g.bar").First.Locator("rect").CountAsync());
        Assert.Equal(9, await page.Locator("table#jobs tbody tr").CountAsync());

        // Nothing but the page itself was requested: no CDN, no script, no font.
        Assert.Equal([response.Url], requests);
    }

    [Fact]
    public async Task AccountPage_ProjectBreakdown_ShowsTheSummaryApisCreditsPerProject()
    {
        var (context, page, _) = await OpenAsync();
        await using var _ = context;
        var expected = await run.CreditsByProjectAsync(UsagePagesRun.ProAccount);

        await page.GotoAsync(await run.LinkAsync(UsagePagesRun.ProAccount));
        var rows = page.Locator("table#by-project tbody tr");
        var shown = new Dictionary<string, decimal>();
        for (var i = 0; i < await rows.CountAsync(); i++)
        {
            shown[(await rows.Nth(i).GetAttributeAsync("data-project"))!] =
                decimal.Parse((await rows.Nth(i).Locator("td[data-field=credits]").TextContentAsync())!, CultureInfo.InvariantCulture);
        }

        // Each day: a 1-page invoice (2 credits) for "web", a 2-page invoice and a 3-page OCR (4 + 6) for "batch".
        Assert.Equal(new Dictionary<string, decimal> { ["batch"] = 30m, ["web"] = 6m }, expected);
        Assert.Equal(expected, shown);
        Assert.True(await page.Locator("svg#by-project-chart").IsVisibleAsync());
    }

    [Fact]
    public async Task AccountPage_Keyboard_ReachesEveryLinkInOrder()
    {
        var (context, page, _) = await OpenAsync();
        await using var _ = context;
        await page.GotoAsync(await run.LinkAsync(UsagePagesRun.Account));

        // The links, and the jobs table's scroll region (a tab stop so a keyboard can scroll it), in page order.
        var links = await page.EvalOnSelectorAllAsync<string[]>("a[href], [tabindex='0']", "as => as.map(a => a.getAttribute('href') ?? a.tagName)");
        var reached = await TabThroughAsync(page, links.Length);

        Assert.Equal(5, links.Length);
        Assert.Equal(links, reached);
    }

    [Fact]
    public async Task AccountPage_ExportLink_DownloadsTheDailyCsv()
    {
        var (context, page, _) = await OpenAsync();
        await using var _ = context;
        await page.GotoAsync(await run.LinkAsync(UsagePagesRun.Account));

        var href = await page.Locator("#exports a", new PageLocatorOptions { HasText = "per day" }).GetAttributeAsync("href");
        var csv = await page.APIRequest.GetAsync(new Uri(new Uri(page.Url), href).ToString());

        Assert.Equal(200, csv.Status);
        var lines = (await csv.TextAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("start,family,credits,usd,jobs,failedJobs,partialJobs", lines[0]);
        Assert.Equal(2 * run.Days.Count, lines.Length - 1);
    }

    [Fact]
    public async Task AccountPage_ExpiredLink_IsRefused()
    {
        var (context, page, _) = await OpenAsync();
        await using var _ = context;
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-2));
        var signer = new DashboardLinks(Options.Create(new DashboardOptions { SigningKey = UsagePagesRun.SigningKey }), past);
        var token = signer.Create(new LinkScope(UsagePagesRun.Account), past.GetUtcNow().AddMinutes(15));

        var response = await page.GotoAsync(new Uri(run.Host.BaseAddress, $"api/accounts/{UsagePagesRun.Account}/dashboard?token={Uri.EscapeDataString(token)}").ToString());

        Assert.Equal(403, response!.Status);
        Assert.Contains("expired", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#balance").CountAsync());
    }

    [Fact]
    public async Task AccountPage_ForgedLink_IsRefused()
    {
        var (context, page, _) = await OpenAsync();
        await using var _ = context;
        var link = await run.LinkAsync(UsagePagesRun.Account);
        var signatureAt = link.IndexOf('.', link.IndexOf("token=", StringComparison.Ordinal)) + 1;
        var forged = link[..signatureAt] + (link[signatureAt] == 'A' ? 'B' : 'A') + link[(signatureAt + 1)..];

        var forgedResponse = await page.GotoAsync(forged);
        var otherAccount = await page.GotoAsync(link.Replace(UsagePagesRun.Account, UsagePagesRun.OtherAccount, StringComparison.Ordinal));

        Assert.Equal(403, forgedResponse!.Status);
        Assert.Equal(403, otherAccount!.Status);
        Assert.Contains("another page", await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OperatorPage_Keyboard_SortsByAnyColumnAndReachesEveryLink()
    {
        var (context, page, _) = await OpenAsync();
        await using var _ = context;
        await page.GotoAsync(await run.LinkAsync(null));

        var links = await page.EvalOnSelectorAllAsync<string[]>("a[href]", "as => as.map(a => a.getAttribute('href'))");
        Assert.Equal(links, await TabThroughAsync(page, links.Length));
        string[] ascending = [UsagePagesRun.Account, UsagePagesRun.EnterpriseAccount, UsagePagesRun.ProAccount, UsagePagesRun.OtherAccount];
        Assert.Equal(ascending, await AccountsAsync(page));
        await ScreenshotAsync(page, "operator-page");

        // Enter on the focused "Account" heading follows its link: ascending by account id.
        await page.Locator("#accounts thead a", new PageLocatorOptions { HasText = "Account" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("th[aria-sort=ascending] a", new PageLocatorOptions { HasText = "Account" }).WaitForAsync();

        Assert.Contains("sort=account&order=asc", page.Url, StringComparison.Ordinal);
        Assert.Equal(ascending, await AccountsAsync(page));

        await page.Locator("th[aria-sort] a").ClickAsync();
        await page.Locator("th[aria-sort=descending] a", new PageLocatorOptions { HasText = "Account" }).WaitForAsync();
        Assert.Equal(ascending.Reverse(), await AccountsAsync(page));

        // Each account's link opens its page.
        await page.Locator("#accounts tbody a", new PageLocatorOptions { HasText = UsagePagesRun.Account }).ClickAsync();
        Assert.Equal(UsagePagesRun.SeededCredits.ToString(CultureInfo.InvariantCulture), await page.Locator("dd[data-field=usedCredits]").TextContentAsync());
    }

    private static async Task<string[]> AccountsAsync(IPage page) =>
        await page.EvalOnSelectorAllAsync<string[]>("#accounts tbody th", "ths => ths.map(t => t.textContent)");

    /// <summary>Presses Tab from the top of the page and records the href of each element that takes focus.</summary>
    private static async Task<List<string>> TabThroughAsync(IPage page, int count)
    {
        var reached = new List<string>();
        for (var i = 0; i < count; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached.Add(await page.EvaluateAsync<string>("() => document.activeElement?.getAttribute('href') ?? document.activeElement?.tagName ?? ''"));
        }

        return reached;
    }

    /// <summary>With <c>METERING_SCREENSHOTS=1</c>, saves the page to docs/screenshots/ (the README shows them); else nothing, so CI changes no file.</summary>
    private static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("METERING_SCREENSHOTS") == "1")
        {
            var folder = Path.Combine(UsageProcessor.Host.Tests.Infrastructure.Repository.Root, "docs", "screenshots");
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
        }
    }
}
