using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.Extensions.DependencyInjection;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Balances;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Alerts;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Statements;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Metering.Webhooks;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Webhooks;

/// <summary>The event catalogue against what the product really sends: payloads captured from its own senders over real Azurite and a real receiver.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebhookEventCatalogueTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 19, 0, 0, TimeSpan.Zero);
    private MeteringHarness _harness = null!;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _harness = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames(nameof(WebhookEventCatalogueTests)), Now, services =>
            services.Configure<WebhookDeliveryOptions>(o =>
            {
                o.RetryDelay = TimeSpan.FromMilliseconds(10);
                o.MaxRetryAttempts = 1;
                o.DisableAfter = TimeSpan.FromMinutes(1);
            }), new Dictionary<string, string?> { ["Metering:AllowLoopbackWebhooks"] = "true" });
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _harness.DisposeAsync();
    }

    [Fact]
    public void All_EveryAlertKindAndEveryOtherMessage_IsCatalogued()
    {
        var names = WebhookEventCatalogue.All.Select(t => t.Name).ToList();

        Assert.Equal([.. AlertKinds.All, AlertKinds.BalanceUpdated, "invoice-ready", "test"], names);
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public void Build_WebhooksSection_DescribesEveryEventWithAResolvableSchema()
    {
        var document = OpenApiDocument.Build();
        var webhooks = document["webhooks"]!.AsObject();

        Assert.Equal(WebhookEventCatalogue.All.Select(t => t.Name), webhooks.Select(w => w.Key));
        foreach (var (name, item) in webhooks)
        {
            var reference = item!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>();
            Assert.NotNull(document["components"]!["schemas"]![reference["#/components/schemas/".Length..]]);
            Assert.Contains(name, reference.Replace('_', '-'), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Payloads_CapturedFromTheSenders_MatchTheirCatalogueSchemas()
    {
        var answer = await ApiCall.InvokeAsync(_harness.Services, r => AlertsRoutes.ListEventTypes.InvokeAsync(r, default));
        var schemas = answer.Json.GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("name").GetString()!, i => JsonSchema.FromText(i.GetProperty("schema").GetRawText()));

        // An alert and a balance update, posted to subscribed webhooks.
        var (_, percentId) = await SubscribeAsync("acct-cat", AlertKinds.CreditsUsedPercent, 50);
        await SubscribeAsync("acct-cat", AlertKinds.BalanceUpdated, 0);
        await _harness.Get<JobIngestion>().HandleAsync(new JobMessage(JobMessages.Create("cat-1", "acct-cat", Now.AddMinutes(-1), pages: 26), "cat-1"), default);
        var queued = await DeliverQueuedAsync();
        await _harness.Get<BalancePublisher>().FlushAsync(default);
        // A test event, and a receiver failing long enough to disable its subscription: the webhook-disabled alert.
        await ApiCall.InvokeAsync(_harness.Services, _ => _harness.Get<WebhookDeliveriesApi>().SendTestAsync("acct-cat", percentId, default), "POST");
        queued.AddRange(await DeliverQueuedAsync());
        _receiver.FailNext(-1);
        await ApiCall.InvokeAsync(_harness.Services, _ => _harness.Get<WebhookDeliveriesApi>().SendTestAsync("acct-cat", percentId, default), "POST");
        queued.AddRange(await DeliverQueuedAsync());
        _harness.Clock.Advance(TimeSpan.FromMinutes(2));
        await ApiCall.InvokeAsync(_harness.Services, _ => _harness.Get<WebhookDeliveriesApi>().SendTestAsync("acct-cat", percentId, default), "POST");
        queued.AddRange(await DeliverQueuedAsync());
        // An invoice-ready event, from the closer.
        _harness.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 4, 0, 5, 0, TimeSpan.Zero));
        await _harness.Get<StatementCloser>().CloseDueAsync(default);
        var invoice = (await _harness.Get<MeteringTables>().InvoiceReady.ReceiveMessageAsync()).Value.Body.ToString();

        var payloads = _receiver.Received.Select(r => r.Body)
            .Concat(queued.Where(m => !m.Contains("\"dispatch\"", StringComparison.Ordinal)))
            .Append(invoice)
            .Select(body => JsonNode.Parse(body)!)
            .ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var payload in payloads)
        {
            var type = payload["kind"]?.GetValue<string>() ?? payload["type"]?.GetValue<string>() ?? AlertKinds.BalanceUpdated;
            var result = schemas[type].Evaluate(Element(payload), new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.True(result.IsValid, $"{type}: {payload.ToJsonString()} does not match its schema: {JsonSerializer.Serialize(result)}");
            seen.Add(type);
        }

        Assert.Superset(new HashSet<string> { AlertKinds.CreditsUsedPercent, AlertKinds.BalanceUpdated, "test", AlertKinds.WebhookDisabled, "invoice-ready" }, seen);
        // And a schema refuses what it does not describe: an alert payload is not a balance update.
        Assert.False(schemas[AlertKinds.BalanceUpdated].Evaluate(Element(payloads.First(p => p["kind"] is not null))).IsValid);
        Assert.False(schemas[AlertKinds.CreditsUsed].Evaluate(Element(payloads.First(p => p["kind"]?.GetValue<string>() == AlertKinds.CreditsUsedPercent))).IsValid);
    }

    private static JsonElement Element(JsonNode node) => JsonSerializer.SerializeToElement(node);

    private async Task<List<string>> DeliverQueuedAsync()
    {
        var queue = _harness.Get<MeteringTables>().Alerts;
        var delivered = new List<string>();
        while ((await queue.ReceiveMessagesAsync(32)).Value is { Length: > 0 } batch)
        {
            foreach (var m in batch)
            {
                await _harness.Get<AlertDelivery>().DeliverAsync(m.Body.ToString(), default);
                delivered.Add(m.Body.ToString());
                await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
            }
        }

        return delivered;
    }

    private async Task<(string Secret, string Id)> SubscribeAsync(string accountId, string kind, decimal threshold)
    {
        await _harness.Get<AccountRegistry>().SetPlanAsync(accountId, _harness.Get<PlanCatalog>().Get("starter"), default);
        var created = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<AlertSubscriptionsApi>().CreateAsync(r, accountId, default), "POST",
            JsonSerializer.Serialize(new { kind, threshold, webhookUrl = _receiver.Url, reference = $"cat-{kind}" }));
        Assert.Equal(201, created.Status);
        return (created.Json.GetProperty("secret").GetString()!, created.Json.GetProperty("id").GetString()!);
    }
}
