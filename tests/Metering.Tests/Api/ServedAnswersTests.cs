using System.Globalization;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Accounts;
using UsageProcessor.Metering.Http.Admission;
using UsageProcessor.Metering.Http.Alerts;
using UsageProcessor.Metering.Http.Balances;
using UsageProcessor.Metering.Http.Budgets;
using UsageProcessor.Metering.Http.Credits;
using UsageProcessor.Metering.Http.Dashboard;
using UsageProcessor.Metering.Http.Events;
using UsageProcessor.Metering.Http.Health;
using UsageProcessor.Metering.Http.Models;
using UsageProcessor.Metering.Http.Pricing;
using UsageProcessor.Metering.Http.Sandbox;
using UsageProcessor.Metering.Http.Statements;
using UsageProcessor.Metering.Http.Usage;
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
        await CallAsync(PricingRoutes.QuoteJobs, 200, body: Usage);
        await CallAsync(PricingRoutes.QuoteJobs, 200, body: $"[{Usage},{Usage}]");
        await CallAsync(PricingRoutes.QuoteJobs, 400, body: """{"domain":"nope"}""");
        await CallAsync(AccountsRoutes.PutAccount, 201, ["acct-doc"], body: """{"plan":"starter"}""");
        await CallAsync(AccountsRoutes.PutAccount, 200, ["acct-doc"], body: """{"plan":"starter"}""");
        await CallAsync(AccountsRoutes.PutAccount, 400, ["acct-doc"], body: """{"plan":"gold"}""");
        await CallAsync(AccountsRoutes.GetAccount, 200, ["acct-doc"]);
        await CallAsync(AccountsRoutes.GetAccount, 404, ["acct-none"]);
        await CallAsync(AccountsRoutes.GetAccount, 400, ["bad id"]);
        await CallAsync(AccountsRoutes.AddCredits, 200, ["acct-doc"], body: """{"credits":5,"reference":"order-1"}""");
        await CallAsync(AccountsRoutes.AddCredits, 409, ["acct-doc"], body: """{"credits":6,"reference":"order-1"}""");
        await CallAsync(AccountsRoutes.AddCredits, 404, ["acct-none"], body: """{"credits":5,"reference":"order-1"}""");
        await CallAsync(AccountsRoutes.AddCredits, 400, ["acct-doc"], body: """{"credits":0}""");
        await CallAsync(BalancesRoutes.GetBalance, 200, ["acct-doc"]);
        await CallAsync(BalancesRoutes.GetBalance, 400, ["acct-doc"], query: "period=2026-13");
        await CallAsync(BalancesRoutes.GetBalance, 404, ["acct-none"]);
        await CallAsync(UsageRoutes.ListUsage, 200, ["acct-doc"], query: "limit=2");
        await CallAsync(UsageRoutes.ListUsage, 200, ["acct-doc"], headers: new Dictionary<string, string> { ["Accept"] = "text/csv" });
        await CallAsync(UsageRoutes.ListUsage, 400, ["acct-doc"], query: "limit=ten");
        await CallAsync(UsageRoutes.ListUsage, 404, ["acct-none"]);
        for (var i = 0; i < 10; i++)
        {
            await CallAsync(AdmissionRoutes.AdmitRequest, 200, ["acct-doc"]);
        }

        await CallAsync(AdmissionRoutes.AdmitRequest, 429, ["acct-doc"]);
        await CallAsync(AdmissionRoutes.AdmitRequest, 404, ["acct-none"]);
        await CallAsync(AdmissionRoutes.AdmitRequest, 400, ["bad id"]);
        var reserve = """{"requestId":"req-1","domain":"document.invoice","pages":1}""";
        await CallAsync(AccountsRoutes.PutAccount, 201, ["acct-doc-cap"], body: """{"plan":"starter"}""");
        await CallAsync(AdmissionRoutes.AdmitRequest, 200, ["acct-doc-cap"], body: reserve);
        await CallAsync(AdmissionRoutes.AdmitRequest, 400, ["acct-doc-cap"], body: """{"domain":"document.invoice"}""");
        await CallAsync(CreditsRoutes.PutSpendCap, 200, ["acct-doc-cap"], body: """{"monthlyCredits":1}""");
        await CallAsync(CreditsRoutes.PutSpendCap, 400, ["acct-doc-cap"], body: """{"monthlyCredits":0,"appliesTo":"all"}""");
        await CallAsync(CreditsRoutes.PutSpendCap, 404, ["acct-none"], body: """{"monthlyCredits":1}""");
        await CallAsync(AdmissionRoutes.AdmitRequest, 402, ["acct-doc-cap"], body: reserve.Replace("req-1", "req-2", StringComparison.Ordinal));
        await CallAsync(CreditsRoutes.GetSpendCap, 200, ["acct-doc-cap"]);
        await CallAsync(CreditsRoutes.GetSpendCap, 404, ["acct-none"]);
        await CallAsync(CreditsRoutes.DeleteSpendCap, 204, ["acct-doc-cap"]);
        await CallAsync(CreditsRoutes.DeleteSpendCap, 404, ["acct-none"]);
        await CallAsync(AlertsRoutes.ListAlerts, 200, ["acct-doc"]);
        await CallAsync(AlertsRoutes.ListAlerts, 404, ["acct-none"]);
        var subscription = """{"kind":"credits-used","threshold":10,"webhookUrl":"https://hooks.example.com/a","reference":"hook-a"}""";
        await CallAsync(AlertsRoutes.CreateAlertSubscription, 201, ["acct-doc"], body: subscription);
        await CallAsync(AlertsRoutes.CreateAlertSubscription, 400, ["acct-doc"], body: """{"kind":"credits-used"}""");
        await CallAsync(AlertsRoutes.CreateAlertSubscription, 404, ["acct-none"], body: subscription);
        await CallAsync(AlertsRoutes.ListAlertSubscriptions, 200, ["acct-doc"]);
        await CallAsync(AlertsRoutes.ListAlertSubscriptions, 404, ["acct-none"]);
        var subscriptionId = UsageProcessor.Metering.Webhooks.AlertSubscriptions.IdFor("hook-a");
        await CallAsync(AlertsRoutes.RotateSubscriptionSecret, 200, ["acct-doc", subscriptionId], query: "overlapMinutes=60");
        await CallAsync(AlertsRoutes.RotateSubscriptionSecret, 400, ["acct-doc", subscriptionId], query: "overlapMinutes=-1");
        await CallAsync(AlertsRoutes.RotateSubscriptionSecret, 404, ["acct-doc", "sub_0123456789abcdef01234567"]);
        await CallAsync(AlertsRoutes.ListWebhookDeliveries, 200, ["acct-doc", subscriptionId], query: "outcome=failed");
        await CallAsync(AlertsRoutes.ListWebhookDeliveries, 400, ["acct-doc", subscriptionId], query: "outcome=maybe");
        await CallAsync(AlertsRoutes.ListWebhookDeliveries, 404, ["acct-doc", "sub_0123456789abcdef01234567"]);
        await CallAsync(AlertsRoutes.SendTestWebhook, 202, ["acct-doc", subscriptionId]);
        await CallAsync(AlertsRoutes.SendTestWebhook, 400, ["acct-doc", "sub_x"]);
        await CallAsync(AlertsRoutes.SendTestWebhook, 404, ["acct-doc", "sub_0123456789abcdef01234567"]);
        await CallAsync(AlertsRoutes.EnableAlertSubscription, 200, ["acct-doc", subscriptionId]);
        await CallAsync(AlertsRoutes.EnableAlertSubscription, 400, ["acct-doc", "sub_x"]);
        await CallAsync(AlertsRoutes.EnableAlertSubscription, 404, ["acct-doc", "sub_0123456789abcdef01234567"]);
        await CallAsync(AlertsRoutes.ResendAlert, 400, ["acct-doc", "alt_x"]);
        await CallAsync(AlertsRoutes.ResendAlert, 404, ["acct-doc", "alt_0123456789abcdef0123456789abcdef"]);
        await CallAsync(AlertsRoutes.ListEventTypes, 200);
        await CallAsync(AlertsRoutes.DeleteAlertSubscription, 400, ["acct-doc", "sub_x"]);
        await CallAsync(AlertsRoutes.DeleteAlertSubscription, 404, ["acct-doc", "sub_0123456789abcdef01234567"]);
        await CallAsync(UsageRoutes.GetUsageSummary, 200, ["acct-doc"], query: "groupBy=family");
        await CallAsync(UsageRoutes.GetUsageSummary, 200, ["acct-doc"], headers: new Dictionary<string, string> { ["Accept"] = "text/csv" });
        await CallAsync(UsageRoutes.GetUsageSummary, 400, ["acct-doc"], query: "window=week");
        await CallAsync(UsageRoutes.GetUsageSummary, 404, ["acct-none"]);
        await CallAsync(BalancesRoutes.GetForecast, 200, ["acct-doc"]);
        await CallAsync(BalancesRoutes.GetForecast, 400, ["acct-doc"], query: "period=2026-13");
        await CallAsync(BalancesRoutes.GetForecast, 404, ["acct-none"]);
        await CallAsync(DashboardRoutes.CreateDashboardLink, 201, body: """{"accountId":"acct-doc"}""");
        await CallAsync(DashboardRoutes.CreateDashboardLink, 400, body: """{"minutes":0}""");
        await CallAsync(DashboardRoutes.CreateDashboardLink, 404, body: """{"accountId":"acct-none"}""");
        var links = _harness.Get<Http.Dashboard.DashboardLinks>();
        var account = "token=" + Uri.EscapeDataString(links.Create(new Http.Dashboard.LinkScope("acct-doc"), Now.AddMinutes(5)));
        var none = "token=" + Uri.EscapeDataString(links.Create(new Http.Dashboard.LinkScope("acct-none"), Now.AddMinutes(5)));
        var operatorToken = "token=" + Uri.EscapeDataString(links.Create(Http.Dashboard.LinkScope.Operator, Now.AddMinutes(5)));
        await CallAsync(DashboardRoutes.GetAccountDashboard, 200, ["acct-doc"], query: account);
        await CallAsync(DashboardRoutes.GetAccountDashboard, 400, ["acct-doc"], query: account + "&period=2026-13");
        await CallAsync(DashboardRoutes.GetAccountDashboard, 403, ["acct-doc"], query: operatorToken);
        await CallAsync(DashboardRoutes.GetAccountDashboard, 404, ["acct-none"], query: none);
        await CallAsync(DashboardRoutes.GetDashboardExport, 200, ["acct-doc"], query: account + "&what=records");
        await CallAsync(DashboardRoutes.GetDashboardExport, 400, ["acct-doc"], query: account + "&what=all");
        await CallAsync(DashboardRoutes.GetDashboardExport, 403, ["acct-doc"], query: "token=x.y&what=daily");
        await CallAsync(DashboardRoutes.GetDashboardExport, 404, ["acct-none"], query: none + "&what=daily");
        await CallAsync(DashboardRoutes.GetOperatorDashboard, 200, query: operatorToken + "&sort=jobs");
        await CallAsync(DashboardRoutes.GetOperatorDashboard, 400, query: operatorToken + "&sort=colour");
        await CallAsync(DashboardRoutes.GetOperatorDashboard, 403, query: account);
        await CallAsync(StatementsRoutes.ListStatements, 200, ["acct-doc"]);
        await CallAsync(StatementsRoutes.ListStatements, 400, ["bad id"]);
        await CallAsync(StatementsRoutes.ListStatements, 404, ["acct-none"]);
        await CallAsync(StatementsRoutes.GetStatement, 200, ["acct-doc", "2026-11"]);
        await CallAsync(StatementsRoutes.GetStatement, 200, ["acct-doc", "2026-11"], headers: new Dictionary<string, string> { ["Accept"] = "text/csv" });
        await CallAsync(StatementsRoutes.GetStatement, 200, ["acct-doc", "2026-11"], query: "format=html");
        await CallAsync(StatementsRoutes.GetStatement, 400, ["acct-doc", "2026-1"]);
        await CallAsync(StatementsRoutes.GetStatement, 404, ["acct-none", "2026-11"]);
        await CallAsync(StatementsRoutes.CloseStatement, 409, ["acct-doc", "2026-11"]);
        await CallAsync(StatementsRoutes.CloseStatement, 400, ["acct-doc", "2026-12"]);
        await CallAsync(StatementsRoutes.CloseStatement, 404, ["acct-none", "2026-10"]);
        await CallAsync(StatementsRoutes.CloseStatement, 200, ["acct-doc", "2026-10"]);
        await CallAsync(CreditsRoutes.PutTopUp, 200, ["acct-doc"], body: """{"threshold":1,"target":5,"monthlyMaximum":10}""");
        await CallAsync(CreditsRoutes.PutTopUp, 400, ["acct-doc"], body: """{"threshold":5,"target":1,"monthlyMaximum":10}""");
        await CallAsync(CreditsRoutes.PutTopUp, 404, ["acct-none"], body: """{"threshold":1,"target":5,"monthlyMaximum":10}""");
        await CallAsync(CreditsRoutes.GetTopUp, 200, ["acct-doc"]);
        await CallAsync(CreditsRoutes.GetTopUp, 404, ["acct-none"]);
        await CallAsync(CreditsRoutes.GetTopUp, 400, ["bad id"]);
        await CallAsync(CreditsRoutes.FailTopUp, 404, ["acct-doc"], body: """{"reference":"topup-2026-11-1","reason":"declined"}""");
        await CallAsync(CreditsRoutes.FailTopUp, 400, ["acct-doc"], body: "{}");
        await CallAsync(CreditsRoutes.DeleteTopUp, 204, ["acct-doc"]);
        await CallAsync(CreditsRoutes.DeleteTopUp, 404, ["acct-none"]);
        var grant = """{"credits":5,"reason":"promotion","reference":"promo-1"}""";
        await CallAsync(CreditsRoutes.GrantCredits, 200, ["acct-doc"], body: grant);
        await CallAsync(CreditsRoutes.GrantCredits, 409, ["acct-doc"], body: """{"credits":6,"reason":"promotion","reference":"promo-1"}""");
        await CallAsync(CreditsRoutes.GrantCredits, 404, ["acct-none"], body: grant);
        await CallAsync(CreditsRoutes.GrantCredits, 400, ["acct-doc"], body: """{"credits":5}""");
        await CallAsync(CreditsRoutes.ListGrants, 200, ["acct-doc"]);
        await CallAsync(CreditsRoutes.ListGrants, 404, ["acct-none"]);
        await CallAsync(CreditsRoutes.ListGrants, 400, ["bad id"]);
        await CallAsync(CreditsRoutes.ListGrants, 200, ["acct-doc"], query: "status=active&limit=1");
        await CallAsync(CreditsRoutes.ListGrants, 400, ["acct-doc"], query: "status=gone");
        var change = """{"reason":"withdrawn","actor":"ops"}""";
        await CallAsync(CreditsRoutes.ExpireGrant, 200, ["acct-doc", "promo-1"], body: change);
        await CallAsync(CreditsRoutes.ExpireGrant, 404, ["acct-doc", "promo-none"], body: change);
        await CallAsync(CreditsRoutes.ExpireGrant, 400, ["acct-doc", "promo-1"], body: "{}");
        await CallAsync(CreditsRoutes.VoidGrant, 200, ["acct-doc", "promo-1"], body: change);
        await CallAsync(CreditsRoutes.VoidGrant, 404, ["acct-none", "promo-1"], body: change);
        await CallAsync(CreditsRoutes.VoidGrant, 400, ["acct-doc", "a/b"], body: change);
        await CallAsync(CreditsRoutes.ExpireGrant, 409, ["acct-doc", "promo-1"], body: change);
        var credit = """{"type":"credit","credits":5,"reference":"fix-1","reason":"goodwill","actor":"ops"}""";
        await CallAsync(CreditsRoutes.AdjustAccount, 200, ["acct-doc"], body: credit);
        await CallAsync(CreditsRoutes.AdjustAccount, 409, ["acct-doc"], body: """{"type":"debit","credits":5,"reference":"fix-1","reason":"goodwill","actor":"ops"}""");
        await CallAsync(CreditsRoutes.AdjustAccount, 404, ["acct-doc"], body: """{"type":"void","jobId":"none","reference":"fix-2","reason":"x","actor":"ops"}""");
        await CallAsync(CreditsRoutes.AdjustAccount, 400, ["acct-doc"], body: """{"type":"refund"}""");
        await CallAsync(CreditsRoutes.ListActivity, 200, ["acct-doc"], query: "limit=1");
        await CallAsync(CreditsRoutes.ListActivity, 200, ["acct-doc"], headers: new Dictionary<string, string> { ["Accept"] = "text/csv" });
        await CallAsync(CreditsRoutes.ListActivity, 400, ["acct-doc"], query: "limit=0");
        await CallAsync(CreditsRoutes.ListActivity, 404, ["acct-none"]);
        await CallAsync(PricingRoutes.QuoteJobs, 400, body: Usage, query: "at=yesterday");
        await CallAsync(PricingRoutes.ListPriceBooks, 200);
        await CallAsync(AccountsRoutes.PutAccount, 201, ["acct-pro"], body: """{"plan":"pro"}""");
        await CallAsync(ModelsRoutes.PutModel, 201, ["acct-pro", "acme-v1"]);
        await CallAsync(ModelsRoutes.PutModel, 200, ["acct-pro", "acme-v1"]);
        await CallAsync(ModelsRoutes.PutModel, 409, ["acct-doc", "acme-v1"]);
        await CallAsync(ModelsRoutes.PutModel, 404, ["acct-none", "acme-v1"]);
        await CallAsync(ModelsRoutes.PutModel, 400, ["acct-pro", "Acme"]);
        await CallAsync(ModelsRoutes.GetModel, 200, ["acct-pro", "acme-v1"]);
        await CallAsync(ModelsRoutes.GetModel, 404, ["acct-pro", "acme-v2"]);
        await CallAsync(ModelsRoutes.GetModel, 400, ["acct-pro", "a/b"]);
        await CallAsync(AdmissionRoutes.AdmitRequest, 403, ["acct-pro"], query: "modelId=acme-v2");
        await CallAsync(AdmissionRoutes.AdmitRequest, 200, ["acct-pro"], query: "modelId=acme-v1");
        await CallAsync(AdmissionRoutes.AdmitRequest, 200, ["acct-pro"], body: """{"requestId":"req-served","domain":"document.invoice","pages":1}""");
        await CallAsync(AdmissionRoutes.ReleaseReservation, 200, ["acct-pro", "req-served"]);
        await CallAsync(AdmissionRoutes.ReleaseReservation, 404, ["acct-pro", "req-served"]);
        await CallAsync(AdmissionRoutes.ReleaseReservation, 400, ["acct-pro", "a b"]);
        await CallAsync(ModelsRoutes.DeleteModel, 204, ["acct-pro", "acme-v1"]);
        await CallAsync(ModelsRoutes.DeleteModel, 404, ["acct-pro", "acme-v1"]);
        await CallAsync(ModelsRoutes.DeleteModel, 400, ["acct-pro", ".."]);
        var job = """{"jobId":"served-1","accountId":"acct-doc","completedAt":"2026-11-26T11:00:00Z","domain":"document.invoice","pages":1}""";
        await CallAsync(EventsRoutes.SendEvents, 200, body: $"[{job}]");
        await CallAsync(EventsRoutes.SendEvents, 400, body: job);
        await CallAsync(EventsRoutes.SendEvents, 413, body: $"[{string.Join(',', Enumerable.Repeat(job, EventsApi.MaxEvents + 1))}]");
        await CallAsync(EventsRoutes.SendEvents, 415, body: $"[{job}]", headers: new Dictionary<string, string> { ["Content-Encoding"] = "br" });
        await CallAsync(BudgetsRoutes.PutProjectBudget, 200, ["acct-pro", "p1"], body: """{"monthlyCredits":1}""");
        await CallAsync(BudgetsRoutes.PutProjectBudget, 400, ["acct-pro", "p1"], body: """{"monthlyCredits":-1}""");
        await CallAsync(BudgetsRoutes.PutProjectBudget, 404, ["acct-none", "p1"], body: """{"monthlyCredits":1}""");
        await CallAsync(BudgetsRoutes.GetProjectBudget, 200, ["acct-pro", "p1"]);
        await CallAsync(BudgetsRoutes.ListBudgets, 200, ["acct-pro"]);
        await CallAsync(BudgetsRoutes.ListBudgets, 404, ["acct-none"]);
        await CallAsync(AdmissionRoutes.AdmitRequest, 402, ["acct-pro"], body: """{"requestId":"req-p1","domain":"document.invoice","pages":1}""", query: "projectId=p1");
        await CallAsync(BudgetsRoutes.DeleteProjectBudget, 204, ["acct-pro", "p1"]);
        await CallAsync(BudgetsRoutes.DeleteProjectBudget, 404, ["acct-pro", "p1"]);
        await CallAsync(BudgetsRoutes.GetProjectBudget, 404, ["acct-pro", "p1"]);
        await CallAsync(BudgetsRoutes.PutApiKeyBudget, 200, ["acct-pro", "k1"], body: """{"monthlyCredits":10,"requestsPerMinute":1}""");
        await CallAsync(AdmissionRoutes.AdmitRequest, 200, ["acct-pro"], query: "apiKeyId=k1");
        await CallAsync(AdmissionRoutes.AdmitRequest, 429, ["acct-pro"], query: "apiKeyId=k1");
        await CallAsync(BudgetsRoutes.GetApiKeyBudget, 200, ["acct-pro", "k1"]);
        await CallAsync(BudgetsRoutes.GetApiKeyBudget, 400, ["acct-pro", "a b"]);
        await CallAsync(BudgetsRoutes.DeleteApiKeyBudget, 204, ["acct-pro", "k1"]);
        await CallAsync(SandboxRoutes.GetSandboxClock, 404);
        await CallAsync(SandboxRoutes.MoveSandboxClock, 404, body: """{"advanceMinutes":5}""");
        await CallAsync(HealthRoutes.HealthCheck, 200);
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
            if (media is RouteAnswer.Json or RouteAnswer.ProblemJson)
            {
                var errors = DocumentSchemas.Check(described["content"]![media]!["schema"]!, response.Body);
                Assert.True(errors.Count == 0, $"{route.Name} {response.Status} answered a body its schema refuses:\n{string.Join('\n', errors)}\n{response.Body}");
            }
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
