using System.Globalization;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Tests.Infrastructure;

namespace UsageProcessor.Metering.Tests.Api;

/// <summary>Calls every route through its table handler over real Azurite and checks that what it answers is in the OpenAPI document.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServedAnswersTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly System.Text.Json.Nodes.JsonNode Paths = OpenApiDocument.Build()["paths"]!;
    private readonly List<string> _seen = [];
    private MeteringHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await MeteringHarness.CreateAsync(
        azurite, azurite.UniqueNames(nameof(ServedAnswersTests)), Now,
        settings: new Dictionary<string, string?> { ["Dashboard:SigningKey"] = Convert.ToBase64String(new byte[32]) });

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Handlers_EveryAnswerTheyGive_IsDescribedWithItsStatusContentTypeAndHeaders()
    {
        const string Usage = """{"domain":"document.invoice","pages":1}""";
        await CallAsync(ApiRoutes.QuoteJobs, 200, body: Usage);
        await CallAsync(ApiRoutes.QuoteJobs, 200, body: $"[{Usage},{Usage}]");
        await CallAsync(ApiRoutes.QuoteJobs, 400, body: """{"domain":"nope"}""");
        await CallAsync(ApiRoutes.PutAccount, 201, ["acct-doc"], body: """{"plan":"starter"}""");
        await CallAsync(ApiRoutes.PutAccount, 200, ["acct-doc"], body: """{"plan":"starter"}""");
        await CallAsync(ApiRoutes.PutAccount, 400, ["acct-doc"], body: """{"plan":"gold"}""");
        await CallAsync(ApiRoutes.GetAccount, 200, ["acct-doc"]);
        await CallAsync(ApiRoutes.GetAccount, 404, ["acct-none"]);
        await CallAsync(ApiRoutes.GetAccount, 400, ["bad id"]);
        await CallAsync(ApiRoutes.AddCredits, 200, ["acct-doc"], body: """{"credits":5,"reference":"order-1"}""");
        await CallAsync(ApiRoutes.AddCredits, 409, ["acct-doc"], body: """{"credits":6,"reference":"order-1"}""");
        await CallAsync(ApiRoutes.AddCredits, 404, ["acct-none"], body: """{"credits":5,"reference":"order-1"}""");
        await CallAsync(ApiRoutes.AddCredits, 400, ["acct-doc"], body: """{"credits":0}""");
        await CallAsync(ApiRoutes.GetBalance, 200, ["acct-doc"]);
        await CallAsync(ApiRoutes.GetBalance, 400, ["acct-doc"], query: "period=2026-13");
        await CallAsync(ApiRoutes.GetBalance, 404, ["acct-none"]);
        await CallAsync(ApiRoutes.ListUsage, 200, ["acct-doc"], query: "limit=2");
        await CallAsync(ApiRoutes.ListUsage, 200, ["acct-doc"], headers: new Dictionary<string, string> { ["Accept"] = "text/csv" });
        await CallAsync(ApiRoutes.ListUsage, 400, ["acct-doc"], query: "limit=ten");
        await CallAsync(ApiRoutes.ListUsage, 404, ["acct-none"]);
        for (var i = 0; i < 10; i++)
        {
            await CallAsync(ApiRoutes.AdmitRequest, 200, ["acct-doc"]);
        }

        await CallAsync(ApiRoutes.AdmitRequest, 429, ["acct-doc"]);
        await CallAsync(ApiRoutes.AdmitRequest, 404, ["acct-none"]);
        await CallAsync(ApiRoutes.AdmitRequest, 400, ["bad id"]);
        var reserve = """{"requestId":"req-1","domain":"document.invoice","pages":1}""";
        await CallAsync(ApiRoutes.PutAccount, 201, ["acct-doc-cap"], body: """{"plan":"starter"}""");
        await CallAsync(ApiRoutes.AdmitRequest, 200, ["acct-doc-cap"], body: reserve);
        await CallAsync(ApiRoutes.AdmitRequest, 400, ["acct-doc-cap"], body: """{"domain":"document.invoice"}""");
        await CallAsync(ApiRoutes.PutSpendCap, 200, ["acct-doc-cap"], body: """{"monthlyCredits":1}""");
        await CallAsync(ApiRoutes.PutSpendCap, 400, ["acct-doc-cap"], body: """{"monthlyCredits":0,"appliesTo":"all"}""");
        await CallAsync(ApiRoutes.PutSpendCap, 404, ["acct-none"], body: """{"monthlyCredits":1}""");
        await CallAsync(ApiRoutes.AdmitRequest, 402, ["acct-doc-cap"], body: reserve.Replace("req-1", "req-2", StringComparison.Ordinal));
        await CallAsync(ApiRoutes.GetSpendCap, 200, ["acct-doc-cap"]);
        await CallAsync(ApiRoutes.GetSpendCap, 404, ["acct-none"]);
        await CallAsync(ApiRoutes.DeleteSpendCap, 204, ["acct-doc-cap"]);
        await CallAsync(ApiRoutes.DeleteSpendCap, 404, ["acct-none"]);
        await CallAsync(ApiRoutes.ListAlerts, 200, ["acct-doc"]);
        await CallAsync(ApiRoutes.ListAlerts, 404, ["acct-none"]);
        var subscription = """{"kind":"credits-used","threshold":10,"webhookUrl":"https://hooks.example.com/a"}""";
        await CallAsync(ApiRoutes.CreateAlertSubscription, 201, ["acct-doc"], body: subscription);
        await CallAsync(ApiRoutes.CreateAlertSubscription, 400, ["acct-doc"], body: """{"kind":"credits-used"}""");
        await CallAsync(ApiRoutes.CreateAlertSubscription, 404, ["acct-none"], body: subscription);
        await CallAsync(ApiRoutes.ListAlertSubscriptions, 200, ["acct-doc"]);
        await CallAsync(ApiRoutes.ListAlertSubscriptions, 404, ["acct-none"]);
        await CallAsync(ApiRoutes.DeleteAlertSubscription, 400, ["acct-doc", "sub_x"]);
        await CallAsync(ApiRoutes.DeleteAlertSubscription, 404, ["acct-doc", "sub_0123456789abcdef01234567"]);
        await CallAsync(ApiRoutes.GetUsageSummary, 200, ["acct-doc"], query: "groupBy=family");
        await CallAsync(ApiRoutes.GetUsageSummary, 200, ["acct-doc"], headers: new Dictionary<string, string> { ["Accept"] = "text/csv" });
        await CallAsync(ApiRoutes.GetUsageSummary, 400, ["acct-doc"], query: "window=week");
        await CallAsync(ApiRoutes.GetUsageSummary, 404, ["acct-none"]);
        await CallAsync(ApiRoutes.GetForecast, 200, ["acct-doc"]);
        await CallAsync(ApiRoutes.GetForecast, 400, ["acct-doc"], query: "period=2026-13");
        await CallAsync(ApiRoutes.GetForecast, 404, ["acct-none"]);
        await CallAsync(ApiRoutes.CreateDashboardLink, 201, body: """{"accountId":"acct-doc"}""");
        await CallAsync(ApiRoutes.CreateDashboardLink, 400, body: """{"minutes":0}""");
        await CallAsync(ApiRoutes.CreateDashboardLink, 404, body: """{"accountId":"acct-none"}""");
        var links = _harness.Get<Http.Dashboard.DashboardLinks>();
        var account = "token=" + Uri.EscapeDataString(links.Create(new Http.Dashboard.LinkScope("acct-doc"), Now.AddMinutes(5)));
        var none = "token=" + Uri.EscapeDataString(links.Create(new Http.Dashboard.LinkScope("acct-none"), Now.AddMinutes(5)));
        var operatorToken = "token=" + Uri.EscapeDataString(links.Create(Http.Dashboard.LinkScope.Operator, Now.AddMinutes(5)));
        await CallAsync(ApiRoutes.GetAccountDashboard, 200, ["acct-doc"], query: account);
        await CallAsync(ApiRoutes.GetAccountDashboard, 400, ["acct-doc"], query: account + "&period=2026-13");
        await CallAsync(ApiRoutes.GetAccountDashboard, 403, ["acct-doc"], query: operatorToken);
        await CallAsync(ApiRoutes.GetAccountDashboard, 404, ["acct-none"], query: none);
        await CallAsync(ApiRoutes.GetDashboardExport, 200, ["acct-doc"], query: account + "&what=records");
        await CallAsync(ApiRoutes.GetDashboardExport, 400, ["acct-doc"], query: account + "&what=all");
        await CallAsync(ApiRoutes.GetDashboardExport, 403, ["acct-doc"], query: "token=x.y&what=daily");
        await CallAsync(ApiRoutes.GetDashboardExport, 404, ["acct-none"], query: none + "&what=daily");
        await CallAsync(ApiRoutes.GetOperatorDashboard, 200, query: operatorToken + "&sort=jobs");
        await CallAsync(ApiRoutes.GetOperatorDashboard, 400, query: operatorToken + "&sort=colour");
        await CallAsync(ApiRoutes.GetOperatorDashboard, 403, query: account);
        await CallAsync(ApiRoutes.ListStatements, 200, ["acct-doc"]);
        await CallAsync(ApiRoutes.ListStatements, 400, ["bad id"]);
        await CallAsync(ApiRoutes.ListStatements, 404, ["acct-none"]);
        await CallAsync(ApiRoutes.GetStatement, 200, ["acct-doc", "2026-11"]);
        await CallAsync(ApiRoutes.GetStatement, 200, ["acct-doc", "2026-11"], headers: new Dictionary<string, string> { ["Accept"] = "text/csv" });
        await CallAsync(ApiRoutes.GetStatement, 200, ["acct-doc", "2026-11"], query: "format=html");
        await CallAsync(ApiRoutes.GetStatement, 400, ["acct-doc", "2026-1"]);
        await CallAsync(ApiRoutes.GetStatement, 404, ["acct-none", "2026-11"]);
        var grant = """{"credits":5,"reason":"promotion","reference":"promo-1"}""";
        await CallAsync(ApiRoutes.GrantCredits, 200, ["acct-doc"], body: grant);
        await CallAsync(ApiRoutes.GrantCredits, 409, ["acct-doc"], body: """{"credits":6,"reason":"promotion","reference":"promo-1"}""");
        await CallAsync(ApiRoutes.GrantCredits, 404, ["acct-none"], body: grant);
        await CallAsync(ApiRoutes.GrantCredits, 400, ["acct-doc"], body: """{"credits":5}""");
        await CallAsync(ApiRoutes.ListGrants, 200, ["acct-doc"]);
        await CallAsync(ApiRoutes.ListGrants, 404, ["acct-none"]);
        await CallAsync(ApiRoutes.ListGrants, 400, ["bad id"]);
        var credit = """{"type":"credit","credits":5,"reference":"fix-1","reason":"goodwill","actor":"ops"}""";
        await CallAsync(ApiRoutes.AdjustAccount, 200, ["acct-doc"], body: credit);
        await CallAsync(ApiRoutes.AdjustAccount, 409, ["acct-doc"], body: """{"type":"debit","credits":5,"reference":"fix-1","reason":"goodwill","actor":"ops"}""");
        await CallAsync(ApiRoutes.AdjustAccount, 404, ["acct-doc"], body: """{"type":"void","jobId":"none","reference":"fix-2","reason":"x","actor":"ops"}""");
        await CallAsync(ApiRoutes.AdjustAccount, 400, ["acct-doc"], body: """{"type":"refund"}""");
        await CallAsync(ApiRoutes.ListActivity, 200, ["acct-doc"], query: "limit=1");
        await CallAsync(ApiRoutes.ListActivity, 200, ["acct-doc"], headers: new Dictionary<string, string> { ["Accept"] = "text/csv" });
        await CallAsync(ApiRoutes.ListActivity, 400, ["acct-doc"], query: "limit=0");
        await CallAsync(ApiRoutes.ListActivity, 404, ["acct-none"]);
        await CallAsync(ApiRoutes.QuoteJobs, 400, body: Usage, query: "at=yesterday");
        await CallAsync(ApiRoutes.ListPriceBooks, 200);
        await CallAsync(ApiRoutes.PutAccount, 201, ["acct-pro"], body: """{"plan":"pro"}""");
        await CallAsync(ApiRoutes.PutModel, 201, ["acct-pro", "acme-v1"]);
        await CallAsync(ApiRoutes.PutModel, 200, ["acct-pro", "acme-v1"]);
        await CallAsync(ApiRoutes.PutModel, 409, ["acct-doc", "acme-v1"]);
        await CallAsync(ApiRoutes.PutModel, 404, ["acct-none", "acme-v1"]);
        await CallAsync(ApiRoutes.PutModel, 400, ["acct-pro", "Acme"]);
        await CallAsync(ApiRoutes.GetModel, 200, ["acct-pro", "acme-v1"]);
        await CallAsync(ApiRoutes.GetModel, 404, ["acct-pro", "acme-v2"]);
        await CallAsync(ApiRoutes.GetModel, 400, ["acct-pro", "a/b"]);
        await CallAsync(ApiRoutes.AdmitRequest, 403, ["acct-pro"], query: "modelId=acme-v2");
        await CallAsync(ApiRoutes.AdmitRequest, 200, ["acct-pro"], query: "modelId=acme-v1");
        await CallAsync(ApiRoutes.DeleteModel, 204, ["acct-pro", "acme-v1"]);
        await CallAsync(ApiRoutes.DeleteModel, 404, ["acct-pro", "acme-v1"]);
        await CallAsync(ApiRoutes.DeleteModel, 400, ["acct-pro", ".."]);
        await CallAsync(ApiRoutes.HealthCheck, 200);
        await CallAsync(ApiRoutes.OpenApiDocument, 200);

        // Every route was called at least once.
        Assert.Equal(ApiRoutes.All.Select(r => r.Name).Order(StringComparer.Ordinal), _seen.Distinct().Order(StringComparer.Ordinal));
    }

    private async Task CallAsync(ApiRoute route, int expected, string[]? values = null, string? body = null, string? query = null, IDictionary<string, string>? headers = null)
    {
        var response = await ApiCall.InvokeAsync(
            _harness.Services, request => route.InvokeAsync(request, CancellationToken.None, values ?? []), route.Method, body, query, headers);
        _seen.Add(route.Name);

        Assert.Equal(expected, response.Status);
        var described = Paths[route.Path]![route.Method.ToLowerInvariant()]!["responses"]![response.Status.ToString(CultureInfo.InvariantCulture)];
        Assert.True(described is not null, $"{route.Name} answered {response.Status}, which the document does not describe.");
        if (response.ContentType is { Length: > 0 } contentType)
        {
            var media = contentType.Split(';')[0].Trim();
            Assert.True(described["content"]?[media] is not null, $"{route.Name} {response.Status} answered {media}, which the document does not describe.");
        }

        foreach (var header in new[] { "Retry-After", "RateLimit", "RateLimit-Policy", "Next-Cursor", "Allow" })
        {
            if (response.Headers.ContainsKey(header))
            {
                Assert.True(described["headers"]?[header] is not null, $"{route.Name} {response.Status} sent {header}, which the document does not describe.");
            }
        }
    }
}
