using System.Text.Json;
using Microsoft.Playwright;
using UsageProcessor.Host.Tests.Infrastructure;

namespace UsageProcessor.Host.Tests.Browser;

/// <summary>axe-core on every page and the statement: no violations.</summary>
public sealed partial class UsagePagesBrowserTests
{
    // axe-core from the root package.json (npm ci installs it): the pages' policy forbids scripts, so the context
    // bypasses it for the injected engine only; nothing else on the pages changes.
    private static readonly string AxeScript = Path.Combine(Repository.Root, "node_modules", "axe-core", "axe.min.js");

    public static TheoryData<string> Plans => [.. UsagePagesRun.PlanAccounts.Select(p => p.Plan)];

    public static TheoryData<string, ColorScheme> PlansAndSchemes
    {
        get
        {
            var data = new TheoryData<string, ColorScheme>();
            foreach (var (plan, _) in UsagePagesRun.PlanAccounts)
            {
                data.Add(plan, ColorScheme.Light);
                data.Add(plan, ColorScheme.Dark);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(PlansAndSchemes))]
    public async Task AccountPage_EachPlanAndScheme_HasNoAxeViolations(string plan, ColorScheme scheme)
    {
        var (context, page) = await OpenForAxeAsync(scheme);
        await using var _ = context;

        await page.GotoAsync(await run.LinkAsync(AccountOf(plan)));

        await AssertNoAxeViolationsAsync(page);
    }

    [Fact]
    public async Task OperatorPage_HasNoAxeViolations()
    {
        var (context, page) = await OpenForAxeAsync();
        await using var _ = context;

        await page.GotoAsync(await run.LinkAsync(null));

        await AssertNoAxeViolationsAsync(page);
    }

    [Theory]
    [MemberData(nameof(Plans))]
    public async Task StatementHtml_EachPlan_HasNoAxeViolations(string plan)
    {
        var (context, page) = await OpenForAxeAsync();
        await using var _ = context;

        await page.SetContentAsync(await run.StatementHtmlAsync(AccountOf(plan)));

        await AssertNoAxeViolationsAsync(page);
    }

    [Fact]
    public async Task AccountPage_Chart_HasTheDailyTableAsItsTextAlternative()
    {
        var (context, page, _) = await OpenAsync();
        await using var _ = context;

        await page.GotoAsync(await run.LinkAsync(UsagePagesRun.Account));

        var described = await page.Locator("svg#daily-chart").GetAttributeAsync("aria-describedby");
        Assert.NotNull(described);
        Assert.Contains("daily", described.Split(' '));
        Assert.Equal(run.Days.Count, await page.Locator("table#daily tbody tr").CountAsync());
    }

    private static string AccountOf(string plan) => UsagePagesRun.PlanAccounts.Single(p => p.Plan == plan).Account;

    private async Task<(IBrowserContext Context, IPage Page)> OpenForAxeAsync(ColorScheme scheme = ColorScheme.Light)
    {
        var context = await run.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            BypassCSP = true,
            ColorScheme = scheme,
        });
        return (context, await context.NewPageAsync());
    }

    private static async Task AssertNoAxeViolationsAsync(IPage page)
    {
        Assert.True(File.Exists(AxeScript), $"{AxeScript} is missing: run npm ci at the repository root.");
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = AxeScript });
        var violations = await page.EvaluateAsync<JsonElement>(
            """
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
                .map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ') + ' ' + n.failureSummary) }))
            """);
        Assert.True(violations.GetArrayLength() == 0, $"axe-core found: {violations}");
    }
}
