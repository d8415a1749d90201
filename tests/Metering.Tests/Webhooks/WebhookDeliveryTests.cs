using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StandardWebhooks;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Http.Alerts;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Metering.Webhooks;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Webhooks;

/// <summary>The delivery log, test sends, resends and disabling, against a real local receiver over real Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebhookDeliveryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 19, 0, 0, TimeSpan.Zero);
    private readonly TestNames _names = azurite.UniqueNames(nameof(WebhookDeliveryTests));
    private MeteringHarness _harness = null!;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _harness = await MeteringHarness.CreateAsync(azurite, _names, Now, services =>
            services.Configure<WebhookDeliveryOptions>(o =>
            {
                o.RetryDelay = TimeSpan.FromMilliseconds(10);
                o.AttemptTimeout = TimeSpan.FromSeconds(5);
                o.MaxRetryAttempts = 3;
                o.DisableAfter = TimeSpan.FromMinutes(1);
            }), new Dictionary<string, string?> { ["Metering:AllowLoopbackWebhooks"] = "true" });
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _harness.DisposeAsync();
    }

    private WebhookDeliveriesApi Api => _harness.Get<WebhookDeliveriesApi>();

    [Fact]
    public async Task Deliver_ReceiverAnswering500Then200_LogShowsBothAttemptsWithTheFaultAndTheRetryTime()
    {
        var (_, id) = await SubscribeAsync("acct-log", AlertKinds.CreditsUsed, 10);
        await IngestAsync("log-1", "acct-log", 6);   // 12 credits
        _receiver.FailNext(1);

        await DeliverQueuedAsync();

        var all = await DeliveriesAsync("acct-log", id, null);
        Assert.Equal(200, all.Status);
        var items = all.Json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([2, 1], items.Select(i => i.GetProperty("attempt").GetInt32()));
        Assert.Equal(["succeeded", "failed"], items.Select(i => i.GetProperty("outcome").GetString()));
        Assert.Equal([200, 500], items.Select(i => i.GetProperty("statusCode").GetInt32()));
        Assert.Equal(JsonValueKind.String, items[1].GetProperty("nextRetryAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, items[0].GetProperty("nextRetryAt").ValueKind);
        Assert.All(items, i => Assert.Equal(_receiver.Received.First().MessageId, i.GetProperty("messageId").GetString()));
        Assert.All(items, i => Assert.Equal(AlertKinds.CreditsUsed, i.GetProperty("eventType").GetString()));
        var failed = (await DeliveriesAsync("acct-log", id, "outcome=failed")).Json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(500, Assert.Single(failed).GetProperty("statusCode").GetInt32());
        // Nothing of the body or the signature is kept.
        Assert.DoesNotContain("v1,", all.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"value\"", all.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resend_DeliveredAlertToItsSubscription_ArrivesOnceMoreSignedWithTheAlertsId()
    {
        var (secret, id) = await SubscribeAsync("acct-resend", AlertKinds.CreditsUsed, 10);
        await IngestAsync("resend-1", "acct-resend", 6);
        _harness.Clock.SetUtcNow(TimeProvider.System.GetUtcNow()); // the library checks the timestamp against the real clock
        await DeliverQueuedAsync();
        var original = Assert.Single(_receiver.Received);

        var resend = await ApiCall.InvokeAsync(_harness.Services, r => Api.ResendAsync(r, "acct-resend", original.MessageId, default), "POST", query: $"subscriptionId={id}");
        // The queue may hand the request over twice: the second finds the first's claim.
        await DeliverQueuedAsync(times: 2);

        Assert.Equal(202, resend.Status);
        Assert.Equal(2, _receiver.Received.Count);
        var again = _receiver.Received.Last();
        Assert.Equal(original.MessageId, again.MessageId);
        Assert.Equal(original.Body, again.Body);
        new StandardWebhook(secret).Verify(again.Body, again.Headers);
    }

    [Fact]
    public async Task Resend_ToEveryMatchingSubscription_PostsToEachEnabledOneOnce()
    {
        await SubscribeAsync("acct-all", AlertKinds.CreditsUsed, 10);
        await SubscribeAsync("acct-all", AlertKinds.CreditsUsed, 10, "hook-second");
        await IngestAsync("all-1", "acct-all", 6);
        await DeliverQueuedAsync();
        var alertId = _receiver.Received.First().MessageId;

        var resend = await ApiCall.InvokeAsync(_harness.Services, r => Api.ResendAsync(r, "acct-all", alertId, default), "POST");
        await DeliverQueuedAsync();

        Assert.Equal(202, resend.Status);
        Assert.Equal(4, _receiver.Received.Count(m => m.MessageId == alertId));
    }

    [Fact]
    public async Task SendTest_EnabledSubscription_PostsASignedTestEventNamingIt()
    {
        var (secret, id) = await SubscribeAsync("acct-test", AlertKinds.SpendUsd, 1);
        _harness.Clock.SetUtcNow(TimeProvider.System.GetUtcNow());

        var queued = await ApiCall.InvokeAsync(_harness.Services, _ => Api.SendTestAsync("acct-test", id, default), "POST");
        await DeliverQueuedAsync();

        Assert.Equal(202, queued.Status);
        var received = Assert.Single(_receiver.Received);
        new StandardWebhook(secret).Verify(received.Body, received.Headers);
        using var body = JsonDocument.Parse(received.Body);
        Assert.Equal("test", body.RootElement.GetProperty("type").GetString());
        Assert.Equal(id, body.RootElement.GetProperty("subscriptionId").GetString());
        Assert.Equal(queued.Json.GetProperty("dispatchId").GetString(), received.MessageId);
    }

    [Fact]
    public async Task Deliver_FailingLongerThanDisableAfter_DisablesRaisesAnOperatorAlertAndEnableRestoresIt()
    {
        var (_, id) = await SubscribeAsync("acct-dead", AlertKinds.SpendUsd, 1);
        _receiver.FailNext(-1);
        Assert.Equal(202, (await ApiCall.InvokeAsync(_harness.Services, _ => Api.SendTestAsync("acct-dead", id, default), "POST")).Status);
        await DeliverQueuedAsync();
        var failing = Assert.Single(await _harness.Get<SubscriptionHealthStore>().ListAsync("acct-dead", default));
        Assert.Equal((4, "http-500", (DateTimeOffset?)null), (failing.ConsecutiveFailures, failing.LastFault, failing.DisabledAt));

        _harness.Clock.Advance(TimeSpan.FromMinutes(2));
        await ApiCall.InvokeAsync(_harness.Services, _ => Api.SendTestAsync("acct-dead", id, default), "POST");
        var queuedAfter = await DeliverQueuedAsync();

        var subscription = await _harness.Get<AlertSubscriptions>().GetAsync("acct-dead", id, default);
        Assert.NotNull(subscription!.DisabledAt);
        var disabledAlert = Assert.Single(await _harness.Get<AlertOutbox>().ListAsync("acct-dead", "2026-11", default), a => a.Kind == AlertKinds.WebhookDisabled);
        Assert.StartsWith(id, disabledAlert.ThresholdKey, StringComparison.Ordinal);
        Assert.Equal(8m, disabledAlert.Value);
        Assert.True(disabledAlert.Published);
        Assert.Contains(queuedAfter, m => m.Contains(AlertKinds.WebhookDisabled, StringComparison.Ordinal));
        var refused = await ApiCall.InvokeAsync(_harness.Services, _ => Api.SendTestAsync("acct-dead", id, default), "POST");
        Assert.Equal(409, refused.Status);
        var posts = _receiver.Received.Count;
        await IngestAsync("dead-1", "acct-dead", 60);   // 120 credits = 1.20 USD: an alert it is subscribed to
        await DeliverQueuedAsync();
        Assert.Equal(posts, _receiver.Received.Count);

        var enabled = await ApiCall.InvokeAsync(_harness.Services, _ => Api.EnableAsync("acct-dead", id, default), "POST");
        _receiver.FailNext(0);
        await ApiCall.InvokeAsync(_harness.Services, _ => Api.SendTestAsync("acct-dead", id, default), "POST");
        await DeliverQueuedAsync();

        Assert.Equal(200, enabled.Status);
        Assert.Equal(JsonValueKind.Null, enabled.Json.GetProperty("disabledAt").ValueKind);
        Assert.Equal(posts + 1, _receiver.Received.Count);
        Assert.Empty(await _harness.Get<SubscriptionHealthStore>().ListAsync("acct-dead", default));
    }

    [Fact]
    public async Task Delete_FailingSubscription_ForgetsItsStreakAndItsLog()
    {
        var (_, id) = await SubscribeAsync("acct-gone", AlertKinds.SpendUsd, 1);
        _receiver.FailNext(-1);
        await ApiCall.InvokeAsync(_harness.Services, _ => Api.SendTestAsync("acct-gone", id, default), "POST");
        await DeliverQueuedAsync();
        Assert.Single(await _harness.Get<SubscriptionHealthStore>().ListAsync("acct-gone", default));

        var deleted = await ApiCall.InvokeAsync(_harness.Services, _ => _harness.Get<AlertSubscriptionsApi>().DeleteAsync("acct-gone", id, default), "DELETE");

        Assert.Equal(204, deleted.Status);
        Assert.Empty(await _harness.Get<SubscriptionHealthStore>().ListAsync("acct-gone", default));
        Assert.Empty((await _harness.Get<WebhookDeliveryLog>().ReadAsync("acct-gone", id, null, null, default)).Items);
    }

    [Fact]
    public async Task SweepAsync_DispatchClaimsOlderThanADay_AreDropped()
    {
        var (_, id) = await SubscribeAsync("acct-claims", AlertKinds.SpendUsd, 1);
        var queued = await ApiCall.InvokeAsync(_harness.Services, _ => Api.SendTestAsync("acct-claims", id, default), "POST");
        await DeliverQueuedAsync();
        var claims = ClaimsOf(queued.Json.GetProperty("dispatchId").GetString()!);
        Assert.NotEmpty(claims());

        _harness.Clock.Advance(TimeSpan.FromHours(23));
        await _harness.Get<AlertOutbox>().SweepAsync(default);
        var kept = claims().Count;
        _harness.Clock.Advance(TimeSpan.FromHours(2));
        await _harness.Get<AlertOutbox>().SweepAsync(default);

        Assert.NotEqual(0, kept);
        Assert.Empty(claims());
    }

    // The claims of one dispatch, whatever other tests of this class left in the shared table.
    private Func<List<Azure.Data.Tables.TableEntity>> ClaimsOf(string dispatchId) =>
        () => [.. _harness.Get<MeteringTables>().Outbox.Query<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == "dispatched")
            .Where(e => e.RowKey.StartsWith(dispatchId, StringComparison.Ordinal))];

    [Fact]
    public async Task RecordAsync_MoreAttemptsThanTheCap_KeepsOnlyTheNewest()
    {
        var log = _harness.Get<WebhookDeliveryLog>();
        for (var batch = 0; batch < 3; batch++)
        {
            var attempts = Enumerable.Range(0, 80)
                .Select(i => new WebhookAttempt(1, Now.AddSeconds((batch * 80) + i), 500, null, 3, null)).ToList();
            await log.RecordAsync("acct-cap", "sub_0123456789abcdef01234567", $"alt_{batch}", AlertKinds.CreditsUsed, attempts, default);
        }

        var kept = new List<WebhookDeliveryEntry>();
        string? token = null;
        do
        {
            var page = await log.ReadAsync("acct-cap", "sub_0123456789abcdef01234567", null, token, default);
            Assert.True(page.Items.Count <= WebhookDeliveryLog.PageSize);
            kept.AddRange(page.Items);
            token = page.ContinuationToken;
        }
        while (token is not null);

        Assert.Equal(WebhookDeliveryLog.MaxPerSubscription, kept.Count);
        Assert.Equal(Now.AddSeconds(239), kept[0].At);
        Assert.Equal(Now.AddSeconds(40), kept[^1].At);
    }

    [Theory]
    [InlineData("outcome=maybe", "outcome")]
    [InlineData("outcome=failed&continuationToken=", null)]
    public async Task ListDeliveries_Query_IsCheckedByField(string query, string? badField)
    {
        var (_, id) = await SubscribeAsync("acct-query", AlertKinds.CreditsUsed, 10);

        var answer = await DeliveriesAsync("acct-query", id, query);

        if (badField is null)
        {
            Assert.Equal(200, answer.Status);
        }
        else
        {
            Assert.Equal(400, answer.Status);
            Assert.NotEmpty(answer.ErrorsFor(badField));
        }
    }

    private Task<ApiResponse> DeliveriesAsync(string accountId, string id, string? query) =>
        ApiCall.InvokeAsync(_harness.Services, r => Api.ListAsync(r, accountId, id, default), "GET", query: query);

    private Task<IngestionResult> IngestAsync(string jobId, string accountId, int pages) =>
        _harness.Get<JobIngestion>().HandleAsync(new JobMessage(JobMessages.Create(jobId, accountId, _harness.Clock.GetUtcNow().AddMinutes(-1), pages: pages), jobId), default);

    // What the delivery function does with each message of the alerts queue (each handed over `times` times).
    private async Task<List<string>> DeliverQueuedAsync(int times = 1)
    {
        var queue = _harness.Get<MeteringTables>().Alerts;
        var delivered = new List<string>();
        while (true)
        {
            var batch = (await queue.ReceiveMessagesAsync(32)).Value;
            if (batch.Length == 0)
            {
                return delivered;
            }

            foreach (var m in batch)
            {
                for (var i = 0; i < times; i++)
                {
                    await _harness.Get<AlertDelivery>().DeliverAsync(m.Body.ToString(), default);
                }

                delivered.Add(m.Body.ToString());
                await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
            }
        }
    }

    private async Task<(string Secret, string Id)> SubscribeAsync(string accountId, string kind, decimal threshold, string? reference = null)
    {
        await _harness.Get<AccountRegistry>().SetPlanAsync(accountId, _harness.Get<PlanCatalog>().Get("starter"), default);
        var created = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<AlertSubscriptionsApi>().CreateAsync(r, accountId, default), "POST",
            JsonSerializer.Serialize(new { kind, threshold, webhookUrl = _receiver.Url, reference = reference ?? $"hook-{accountId}-{kind}" }));
        Assert.Equal(201, created.Status);
        return (created.Json.GetProperty("secret").GetString()!, created.Json.GetProperty("id").GetString()!);
    }
}
