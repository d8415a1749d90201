using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Playwright;
using UsageProcessor.Host.Tests.Infrastructure;
using UsageProcessor.Testing;

namespace UsageProcessor.Host.Tests.Browser;

/// <summary>
/// A real run for the browser tests: its own Azurite, the real self-host with a page signing key, a seeded account
/// whose jobs arrive through the queue on three days of one period, and headless chromium.
/// </summary>
public sealed class UsagePagesRun : IAsyncLifetime
{
    /// <summary>The signing key the host is given (tests sign expired links with it).</summary>
    public static readonly string SigningKey = Convert.ToBase64String([.. Enumerable.Range(0, 32).Select(i => (byte)(255 - i))]);

    /// <summary>The seeded account.</summary>
    public const string Account = "browser-acme";

    /// <summary>A second account, so the operator's page has something to sort.</summary>
    public const string OtherAccount = "browser-zeta";

    /// <summary>An account on pro with the same jobs as <see cref="Account"/> (which is on the default plan, starter).</summary>
    public const string ProAccount = "browser-pro";

    /// <summary>An account on enterprise with the same jobs.</summary>
    public const string EnterpriseAccount = "browser-ent";

    /// <summary>Each plan's account: the page shows a different headline for each.</summary>
    public static IReadOnlyList<(string Plan, string Account)> PlanAccounts { get; } =
        [("starter", Account), ("pro", ProAccount), ("enterprise", EnterpriseAccount)];

    private AzuriteProcess? _azurite;
    private SelfHostProcess? _host;
    private IPlaywright? _playwright;

    private static readonly JsonSerializerOptions WithoutNulls = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public SelfHostProcess Host => _host ?? throw new InvalidOperationException("Not started.");

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The period the seeded jobs fall in (YYYY-MM).</summary>
    public string Period { get; private set; } = string.Empty;

    /// <summary>The three UTC days with jobs.</summary>
    public IReadOnlyList<DateOnly> Days { get; private set; } = [];

    /// <summary>The seeded account's credits: three invoice jobs a day of 1, 2 and 3 pages at 2 credits a page.</summary>
    public const decimal SeededCredits = 3 * (2 + 4 + 6);

    public async Task InitializeAsync()
    {
        // Fails here, before anything starts, when chromium is missing.
        (_playwright, Browser) = await Chromium.LaunchAsync();
        _azurite = await AzuriteProcess.StartAsync("usage-pages-azurite-");
        _host = SelfHostProcess.Start(_azurite.ConnectionString, new Dictionary<string, string> { ["Dashboard__SigningKey"] = SigningKey });
        await _host.WaitUntilHealthyAsync(Http, TimeSpan.FromSeconds(60));

        // Three days of one period, all in the past and within the 35 days a job may be late.
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var last = today.Day > 3 ? today.AddDays(-1) : new DateOnly(today.Year, today.Month, 1).AddDays(-1);
        Days = [last.AddDays(-2), last.AddDays(-1), last];
        Period = $"{last:yyyy-MM}";
        var queue = new QueueClient(_azurite.ConnectionString, "job-completed", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        await PutPlanAsync(ProAccount, "pro");
        await PutPlanAsync(EnterpriseAccount, "enterprise");
        var jobs = 0;
        foreach (var day in Days)
        {
            for (var pages = 1; pages <= 3; pages++)
            {
                var completedAt = new DateTimeOffset(day.ToDateTime(new TimeOnly(9 + pages, 0)), TimeSpan.Zero);
                foreach (var (_, account) in PlanAccounts)
                {
                    // The pro account's jobs name a project and an API key, for the page's breakdown by them.
                    await queue.SendMessageAsync(JsonSerializer.Serialize(new
                    {
                        jobId = $"b-{day:MMdd}-{pages}",
                        accountId = account,
                        completedAt,
                        domain = pages == 3 ? "image.ocr" : "document.invoice",
                        pages,
                        projectId = account == ProAccount ? (pages == 1 ? "web" : "batch") : null,
                        apiKeyId = account == ProAccount ? "key-1" : null,
                    }, WithoutNulls));
                }

                jobs++;
            }
        }

        await queue.SendMessageAsync(JsonSerializer.Serialize(new
        {
            jobId = "z-1",
            accountId = OtherAccount,
            completedAt = new DateTimeOffset(last.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero),
            domain = "document.invoice",
            pages = 1,
        }));
        foreach (var (_, account) in PlanAccounts)
        {
            await WaitForJobsAsync(account, jobs);
        }

        await WaitForJobsAsync(OtherAccount, 1);
    }

    /// <summary>The month's credits by project from the usage summary API: project id to credits.</summary>
    public async Task<Dictionary<string, decimal>> CreditsByProjectAsync(string account)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Host.BaseAddress, $"api/accounts/{account}/usage/summary?period={Period}&window=month&groupBy=project"));
        request.Headers.Add("x-functions-key", SelfHostProcess.FunctionKey);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var summary = await response.Content.ReadFromJsonAsync<JsonElement>();
        return summary.GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("groups").GetProperty("project").GetString()!, i => i.GetProperty("credits").GetDecimal());
    }

    /// <summary>The balance answer, read with the function key as the customer's backend would.</summary>
    public async Task<JsonElement> BalanceAsync(string account)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Host.BaseAddress, $"api/accounts/{account}/balance?period={Period}"));
        request.Headers.Add("x-functions-key", SelfHostProcess.FunctionKey);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
    }

    /// <summary>A link made through the keyed route, as an operator or the customer's backend would.</summary>
    public async Task<string> LinkAsync(string? account)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Host.BaseAddress, "api/dashboard-links"))
        {
            Content = JsonContent.Create(account is null ? (object)new { scope = "operator" } : new { accountId = account }),
        };
        request.Headers.Add("x-functions-key", SelfHostProcess.FunctionKey);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var link = await response.Content.ReadFromJsonAsync<JsonElement>();
        return link.GetProperty("url").GetString() + $"&period={Period}";
    }

    /// <summary>A statement of the period as its printable HTML, read with the function key.</summary>
    public async Task<string> StatementHtmlAsync(string account)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Host.BaseAddress, $"api/accounts/{account}/statements/{Period}?format=html"));
        request.Headers.Add("x-functions-key", SelfHostProcess.FunctionKey);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>A statement of the period as JSON, read with the function key.</summary>
    public async Task<JsonElement> StatementAsync(string account)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Host.BaseAddress, $"api/accounts/{account}/statements/{Period}"));
        request.Headers.Add("x-functions-key", SelfHostProcess.FunctionKey);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        Http.Dispose();
    }

    private async Task PutPlanAsync(string account, string plan)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(Host.BaseAddress, $"api/accounts/{account}")) { Content = JsonContent.Create(new { plan }) };
        request.Headers.Add("x-functions-key", SelfHostProcess.FunctionKey);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    private async Task WaitForJobsAsync(string account, int jobs)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Host.BaseAddress, $"api/accounts/{account}/balance?period={Period}"));
            request.Headers.Add("x-functions-key", SelfHostProcess.FunctionKey);
            using var response = await Http.SendAsync(request);
            if (response.IsSuccessStatusCode && (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobs").GetInt64() == jobs)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{account} did not reach {jobs} billed jobs.\n{Host.Log()}");
            }

            await Task.Delay(250);
        }
    }
}
