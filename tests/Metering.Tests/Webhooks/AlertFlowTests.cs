using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Simmy;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Alerts;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Metering.Webhooks;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Webhooks;

[Collection(AzuriteCollection.Name)]
public sealed class AlertFlowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 19, 0, 0, TimeSpan.Zero);
    private const string Period = "2026-11";
    private readonly TestNames _names = azurite.UniqueNames(nameof(AlertFlowTests));
    private MeteringHarness _harness = null!;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _harness = await CreateHarnessAsync(Now);
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _harness.DisposeAsync();
    }

    private Task<MeteringHarness> CreateHarnessAsync(DateTimeOffset now, Action<IServiceCollection>? configure = null) =>
        MeteringHarness.CreateAsync(azurite, _names, now, services =>
        {
            services.Configure<WebhookDeliveryOptions>(o =>
            {
                o.RetryDelay = TimeSpan.FromMilliseconds(10);
                o.AttemptTimeout = TimeSpan.FromSeconds(5);
                o.MaxRetryAttempts = 3;
            });
            configure?.Invoke(services);
        }, new Dictionary<string, string?> { ["Metering:AllowLoopbackWebhooks"] = "true" });

    private Task<IngestionResult> IngestAsync(string jobId, string accountId, int pages, DateTimeOffset? completedAt = null, MeteringHarness? harness = null) =>
        (harness ?? _harness).Get<JobIngestion>().HandleAsync(
            new JobMessage(JobMessages.Create(jobId, accountId, completedAt ?? Now.AddMinutes(-1), pages: pages), jobId), default);

    private async Task<List<AlertMessage>> DrainAlertQueueAsync()
    {
        var queue = _harness.Get<MeteringTables>().Alerts;
        var messages = new List<AlertMessage>();
        while (true)
        {
            var batch = (await queue.ReceiveMessagesAsync(32)).Value;
            if (batch.Length == 0)
            {
                return messages;
            }

            foreach (var m in batch)
            {
                messages.Add(JsonSerializer.Deserialize<AlertMessage>(m.Body.ToString(), ApiJson.Options)!);
                await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
            }
        }
    }

    private Task<IReadOnlyList<UsageAlert>> AlertsAsync(string accountId) => _harness.Get<AlertOutbox>().ListAsync(accountId, Period, default);

    [Fact]
    public async Task Ingest_SameMessageDeliveredConcurrently_PublishesEachAlertOnce()
    {
        // 60 credits cross 50 % of the starter's 100-credit bonus: one alert, raised by whichever delivery commits.
        var body = JobMessages.Create("conc-1", "acct-conc", Now.AddMinutes(-1), pages: 30);
        var ingestion = _harness.Get<JobIngestion>();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => ingestion.HandleAsync(new JobMessage(body, $"conc-m{i}"), default)));

        Assert.Single(results, r => r.Status == IngestionStatus.Billed);
        var raised = Assert.Single(await AlertsAsync("acct-conc"));
        var published = await DrainAlertQueueAsync();
        Assert.Equal([raised.AlertId], published.Where(m => m.AccountId == "acct-conc").Select(m => m.AlertId));
    }

    [Fact]
    public async Task PublishLeftovers_ManyPublishersOfOneUnpublishedAlert_SendItOnce()
    {
        // A commit that raised an alert and died before publishing: redeliveries and sweeps race to publish it.
        var crashing = await CreateHarnessAsync(Now, services =>
            services.AddResiliencePipeline(StoragePipelines.AfterCommitKey, (b, context) =>
                StoragePipelines.AddTransientRetry(b, context).AddChaosFault(1.0, () => new InvalidOperationException("crash after commit"))));
        await using (crashing)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => IngestAsync("left-1", "acct-left", 30, harness: crashing));
        }

        var outbox = _harness.Get<AlertOutbox>();
        var counts = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => outbox.PublishLeftoversAsync("acct-left", "left-1", default)));

        Assert.Equal(1, counts.Sum());
        Assert.Single(await DrainAlertQueueAsync(), m => m.AccountId == "acct-left");
        Assert.True(Assert.Single(await AlertsAsync("acct-left")).Published);
    }

    [Fact]
    public async Task PublishLeftovers_EveryTableAnswerLost_PublishesTheAlertOnce()
    {
        // Found by the chaos run: a claim that landed but whose answer was lost used to look like another
        // publisher's claim, and the alert waited for the sweep.
        var crashing = await CreateHarnessAsync(Now, services =>
            services.AddResiliencePipeline(StoragePipelines.AfterCommitKey, (b, context) =>
                StoragePipelines.AddTransientRetry(b, context).AddChaosFault(1.0, () => new InvalidOperationException("crash after commit"))));
        await using (crashing)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => IngestAsync("lost-1", "acct-lost", 30, harness: crashing));
        }

        var plain = _harness.Get<StorageAccount>();
        var lossy = StorageAccount.FromConnectionString(azurite.ConnectionString, extra: [new FirstClaimAnswerLost()]);
        await using var publisher = await CreateHarnessAsync(Now, services => services.AddSingleton(new StorageAccount(lossy.Tables, plain.Queues)));

        var published = await publisher.Get<AlertOutbox>().PublishLeftoversAsync("acct-lost", "lost-1", default);

        Assert.Equal(1, published);
        Assert.Single(await DrainAlertQueueAsync(), m => m.AccountId == "acct-lost");
        Assert.True(Assert.Single(await AlertsAsync("acct-lost")).Published);
    }

    [Fact]
    public async Task Ingest_StarterCrossingEachThreshold_FiresEachAlertOnceAndNeverAgain()
    {
        // Document pages at auto cost 2 credits; the starter's 100-credit bonus is the base of the percentages.
        await IngestAsync("pct-1", "acct-pct", 25);   // 50 credits: 50 %
        await IngestAsync("pct-2", "acct-pct", 15);   // 80 credits: 80 %
        await IngestAsync("pct-2", "acct-pct", 15);   // duplicate
        await IngestAsync("pct-3", "acct-pct", 10);   // 100 credits: 100 % and exhausted
        await IngestAsync("pct-4", "acct-pct", 1);    // owed, nothing new

        var published = await DrainAlertQueueAsync();
        Assert.Equal(
            ["credits-exhausted|0", "credits-used-percent|100", "credits-used-percent|50", "credits-used-percent|80"],
            published.Select(a => $"{a.Kind}|{a.Threshold}").Order(StringComparer.Ordinal));
        Assert.Equal(["pct-1", "pct-2", "pct-3", "pct-3"], published.OrderBy(a => a.Threshold).ThenBy(a => a.Kind).Select(a => a.JobId).Order());
        var stored = await AlertsAsync("acct-pct");
        Assert.Equal(4, stored.Count);
        Assert.All(stored, a => Assert.True(a.Published));
    }

    [Fact]
    public async Task Ingest_OneJobCrossingFiftyAndEighty_PublishesOneAlertNamingEighty()
    {
        await IngestAsync("jump-1", "acct-jump", 45);   // 90 credits: 0 % → 90 %

        var published = Assert.Single(await DrainAlertQueueAsync());
        Assert.Equal(80m, published.Threshold);
        Assert.Equal([50m], published.PassedThresholds);
        var stored = await AlertsAsync("acct-jump");
        Assert.Equal(2, stored.Count);
        Assert.True(Assert.Single(stored, a => a.Threshold == 50m).Passed);
    }

    [Fact]
    public async Task Ingest_ConcurrentJobsCrossingTheSameThresholds_RaiseEachExactlyOnce()
    {
        await using var second = await CreateHarnessAsync(Now);
        var ingestions = new[] { _harness, second };

        // Eight jobs of 14 credits: 112 in all, so 50, 80 and 100 % are each crossed by exactly one of them.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => IngestAsync($"race-{i}", "acct-race", 7, harness: ingestions[i % 2]))));

        var stored = await AlertsAsync("acct-race");
        Assert.Equal(["credits-exhausted|0", "credits-used-percent|100", "credits-used-percent|50", "credits-used-percent|80"],
            stored.Select(a => $"{a.Kind}|{a.ThresholdKey}").Order(StringComparer.Ordinal));
        var published = await DrainAlertQueueAsync();
        Assert.Equal(stored.Count(a => !a.Passed), published.Count);
        Assert.Equal(published.Count, published.Select(a => a.AlertId).Distinct().Count());
    }

    [Fact]
    public async Task Ingest_CrashAfterCommitBeforePublishing_AlertStillArrivesExactlyOnce()
    {
        var crashes = 0;
        await using var crashing = await CreateHarnessAsync(Now, services =>
            services.AddResiliencePipeline(StoragePipelines.AfterCommitKey, (b, context) => StoragePipelines.AddTransientRetry(b, context).AddChaosFault(new()
            {
                InjectionRate = 1,
                EnabledGenerator = _ => ValueTask.FromResult(Interlocked.Increment(ref crashes) == 1),
                FaultGenerator = _ => ValueTask.FromResult<Exception?>(new InvalidOperationException("Simulated crash before publishing")),
            })));

        await Assert.ThrowsAsync<InvalidOperationException>(() => IngestAsync("crash-1", "acct-crash-alert", 30, harness: crashing));
        Assert.Empty(await DrainAlertQueueAsync());
        var redelivered = await IngestAsync("crash-1", "acct-crash-alert", 30, harness: crashing);
        var again = await IngestAsync("crash-1", "acct-crash-alert", 30, harness: crashing);

        Assert.Equal(IngestionStatus.Duplicate, redelivered.Status);
        Assert.Equal(IngestionStatus.Duplicate, again.Status);
        var published = Assert.Single(await DrainAlertQueueAsync());
        Assert.Equal(50m, published.Threshold);
    }

    [Fact]
    public async Task SweepAsync_AlertLeftUnpublished_IsPublishedOnceAfterTheSweepAge()
    {
        await using var crashing = await CreateHarnessAsync(Now, services =>
            services.AddResiliencePipeline(StoragePipelines.AfterCommitKey, (b, context) => StoragePipelines.AddTransientRetry(b, context).AddChaosFault(1.0,
                () => new InvalidOperationException("Publishing never happens"))));
        await Assert.ThrowsAsync<InvalidOperationException>(() => IngestAsync("sweep-1", "acct-sweep", 30, harness: crashing));
        var outbox = _harness.Get<AlertOutbox>();

        var tooEarly = await outbox.SweepAsync(default);
        _harness.Clock.Advance(TimeSpan.FromMinutes(6));
        var swept = await outbox.SweepAsync(default);
        var sweptAgain = await outbox.SweepAsync(default);

        Assert.Equal(0, tooEarly);
        Assert.Equal(1, swept);
        Assert.Equal(0, sweptAgain);
        Assert.Equal(50m, Assert.Single(await DrainAlertQueueAsync()).Threshold);
    }

    [Fact]
    public async Task Ingest_ProPastItsIncludedCredits_RaisesOverageStartedOnce()
    {
        var start = BillingPeriod.Of(Now).Start;
        await using var pro = await CreateHarnessAsync(start);
        await pro.Get<AccountRegistry>().SetPlanAsync("acct-over", pro.Get<PlanCatalog>().Get("pro"), default);
        pro.Clock.SetUtcNow(Now);

        await IngestAsync("over-1", "acct-over", 50_005, harness: pro);   // 100,010 credits: 10 past included
        await IngestAsync("over-2", "acct-over", 5, harness: pro);

        var published = await DrainAlertQueueAsync();
        Assert.Contains(published, a => a is { Kind: AlertKinds.OverageStarted, JobId: "over-1" });
        Assert.Contains(published, a => a is { Kind: AlertKinds.CreditsUsedPercent, Threshold: 100m });
        Assert.Equal(2, published.Count);
    }

    [Fact]
    public async Task Ingest_JobsPastTheRateLimit_RaiseOneAlertAnHour()
    {
        var minute = new DateTimeOffset(2026, 11, 26, 17, 30, 0, TimeSpan.Zero);
        for (var i = 0; i < 12; i++)
        {
            await _harness.Get<JobIngestion>().HandleAsync(new JobMessage(
                JobMessages.Create($"rl-{i}", "acct-rl", minute.AddSeconds(i), detail: "lo"), $"rl-{i}"), default);
        }

        await _harness.Get<JobIngestion>().HandleAsync(new JobMessage(
            JobMessages.Create("rl-next-hour", "acct-rl", minute.AddHours(1), detail: "lo"), "rl-a"), default);
        for (var i = 0; i < 11; i++)
        {
            await _harness.Get<JobIngestion>().HandleAsync(new JobMessage(
                JobMessages.Create($"rl-h2-{i}", "acct-rl", minute.AddHours(1).AddSeconds(i + 1), detail: "lo"), $"rl-h2-{i}"), default);
        }

        var rate = (await DrainAlertQueueAsync()).Where(a => a.Kind == AlertKinds.RateLimitExceeded).ToList();
        Assert.Equal(2, rate.Count);
        Assert.Equal(["rl-10", "rl-h2-9"], rate.Select(a => a.JobId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Deliver_SubscribedWebhook_ReceivesOnePostTheStandardWebhooksLibraryVerifies()
    {
        var secret = await SubscribeAsync("acct-hook", AlertKinds.CreditsUsedPercent, 50);
        await IngestAsync("hook-1", "acct-hook", 26);
        // The library checks the timestamp against the real clock, so deliver at the real time.
        _harness.Clock.SetUtcNow(TimeProvider.System.GetUtcNow());

        foreach (var alert in await DrainAlertQueueAsync())
        {
            await _harness.Get<AlertDelivery>().DeliverAsync(JsonSerializer.Serialize(alert, ApiJson.Options), default);
        }

        var received = Assert.Single(_receiver.Received);
        var webhook = new StandardWebhook(secret);
        webhook.Verify(received.Body, received.Headers);
        Assert.Equal(JsonDocument.Parse(received.Body).RootElement.GetProperty("alertId").GetString(), received.MessageId);
        Assert.StartsWith("alt_", received.MessageId, StringComparison.Ordinal);
        Assert.Throws<WebhookVerificationException>(() =>
            webhook.Verify(received.Body.Replace("50", "51", StringComparison.Ordinal), received.Headers));
        Assert.Throws<WebhookVerificationException>(() =>
            new StandardWebhook(WebhookSignature.NewSecret()).Verify(received.Body, received.Headers));
        Assert.True(Assert.Single(await AlertsAsync("acct-hook"), a => a.Threshold == 50m).Delivered);
    }

    [Fact]
    public async Task Deliver_AfterSecretRotations_SignsWithBothSecretsDuringAnOverlapAndOnlyTheNewWithout()
    {
        var first50 = await SubscribeAsync("acct-rotate", AlertKinds.CreditsUsedPercent, 50);
        var first80 = await SubscribeAsync("acct-rotate", AlertKinds.CreditsUsedPercent, 80, "hook-rotate-80");
        var ids = (await _harness.Get<AlertSubscriptions>().ListAsync("acct-rotate", default)).ToDictionary(s => s.Threshold, s => s.Id);
        // The library checks the timestamp against the real clock, so rotate and deliver at the real time.
        _harness.Clock.SetUtcNow(TimeProvider.System.GetUtcNow());
        var with = await RotateAsync("acct-rotate", ids[50m], "overlapMinutes=60");
        var without = await RotateAsync("acct-rotate", ids[80m], "overlapMinutes=0");
        var (new50, new80) = (with.Json.GetProperty("secret").GetString()!, without.Json.GetProperty("secret").GetString()!);

        await IngestAsync("rot-1", "acct-rotate", 26);
        await IngestAsync("rot-2", "acct-rotate", 15);
        foreach (var alert in await DrainAlertQueueAsync())
        {
            await _harness.Get<AlertDelivery>().DeliverAsync(JsonSerializer.Serialize(alert, ApiJson.Options), default);
        }

        Assert.Equal((200, 200), (with.Status, without.Status));
        Assert.Equal(JsonValueKind.Null, without.Json.GetProperty("previousSecretExpiresAt").ValueKind);
        Assert.Equal(2, _receiver.Received.Count);
        Assert.Single(_receiver.Received, m => Verifies(new50, m) && Verifies(first50, m));
        Assert.Single(_receiver.Received, m => Verifies(new80, m) && !Verifies(first80, m));
        Assert.DoesNotContain(_receiver.Received, m => Verifies(WebhookSignature.NewSecret(), m));
    }

    private Task<ApiResponse> RotateAsync(string accountId, string subscriptionId, string query) => ApiCall.InvokeAsync(
        _harness.Services, r => _harness.Get<AlertSubscriptionsApi>().RotateSecretAsync(r, accountId, subscriptionId, default), "POST", query: query);

    // As the specification has a receiver do: any one of the header's space-separated signatures verifies the message.
    // Each is checked with the library on its own, as StandardWebhooks 1.1.2 reads only the first of several.
    private static bool Verifies(string secret, ReceivedWebhook message) =>
        message.Headers["webhook-signature"].ToString().Split(' ').Any(signature =>
        {
            var headers = new HeaderDictionary
            {
                ["webhook-id"] = message.Headers["webhook-id"],
                ["webhook-timestamp"] = message.Headers["webhook-timestamp"],
                ["webhook-signature"] = signature,
            };
            try
            {
                new StandardWebhook(secret).Verify(message.Body, headers);
                return true;
            }
            catch (WebhookVerificationException)
            {
                return false;
            }
        });

    [Fact]
    public async Task Deliver_SameAlertMessageTwiceAtOnce_PostsOnce()
    {
        // Found by the chaos run: a publication repeated after a lost answer puts two messages of one alert on the
        // queue, and two hosts delivered both at once, with no failure of the receiver.
        await SubscribeAsync("acct-twice", AlertKinds.CreditsUsed, 10);
        await IngestAsync("twice-1", "acct-twice", 6);   // 12 credits
        var alert = Assert.Single(await DrainAlertQueueAsync(), a => a.Kind == AlertKinds.CreditsUsed);
        var message = JsonSerializer.Serialize(alert, ApiJson.Options);
        var delivery = _harness.Get<AlertDelivery>();

        var attempts = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            try
            {
                await delivery.DeliverAsync(message, default);
                return "done";
            }
            catch (AlertDeliveryInProgressException)
            {
                return "retry later";
            }
        }));
        // The queue retries a message whose delivery was in progress elsewhere: by then it is done.
        foreach (var _ in attempts.Where(a => a == "retry later"))
        {
            await delivery.DeliverAsync(message, default);
        }

        Assert.Single(_receiver.Received, r => r.MessageId == alert.AlertId);
        Assert.True(Assert.Single(await AlertsAsync("acct-twice"), a => a.Kind == AlertKinds.CreditsUsed).Delivered);
    }

    [Fact]
    public async Task Deliver_ReceiverFailingTwiceThenSucceeding_IsDeliveredOnTheThirdAttempt()
    {
        await SubscribeAsync("acct-flaky", AlertKinds.CreditsUsed, 10);
        await IngestAsync("flaky-1", "acct-flaky", 6);   // 12 credits
        _receiver.FailNext(2);

        var alert = Assert.Single(await DrainAlertQueueAsync(), a => a.Kind == AlertKinds.CreditsUsed);
        await _harness.Get<AlertDelivery>().DeliverAsync(JsonSerializer.Serialize(alert, ApiJson.Options), default);

        Assert.Equal(3, _receiver.Received.Count);
        Assert.Single(_receiver.Received.Select(r => r.MessageId).Distinct());
        var stored = Assert.Single(await AlertsAsync("acct-flaky"), a => a.Kind == AlertKinds.CreditsUsed);
        Assert.True(stored.Delivered);
        Assert.Null(stored.DeliveryError);
        Assert.Equal(0, (await _harness.Get<MeteringTables>().AlertsPoison.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Deliver_ReceiverAlwaysFailing_LeavesTheMessageInThePoisonQueueWithTheReason()
    {
        await SubscribeAsync("acct-down", AlertKinds.SpendUsd, 0.1m);
        await IngestAsync("down-1", "acct-down", 6);   // 12 credits = 0.12 USD
        _receiver.FailNext(-1);

        var alert = Assert.Single(await DrainAlertQueueAsync(), a => a.Kind == AlertKinds.SpendUsd);
        await _harness.Get<AlertDelivery>().DeliverAsync(JsonSerializer.Serialize(alert, ApiJson.Options), default);

        Assert.Equal(4, _receiver.Received.Count);
        var poison = (await _harness.Get<MeteringTables>().AlertsPoison.ReceiveMessageAsync()).Value;
        using var document = JsonDocument.Parse(poison.Body.ToString());
        Assert.Contains("answered 500", document.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains(alert.AlertId, document.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        var stored = Assert.Single(await AlertsAsync("acct-down"), a => a.Kind == AlertKinds.SpendUsd);
        Assert.False(stored.Delivered);
        Assert.Contains("answered 500", stored.DeliveryError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_AddressRefusedAtConnect_PoisonSaysTheAddressWasRefusedAndWhy()
    {
        await SubscribeAsync("acct-refused", AlertKinds.SpendUsd, 0.1m);
        await IngestAsync("refused-1", "acct-refused", 6);
        var alert = Assert.Single(await DrainAlertQueueAsync(), a => a.Kind == AlertKinds.SpendUsd);
        // The same tables, delivered by a core that (as in production) allows no loopback webhook.
        await using var strict = await MeteringHarness.CreateAsync(azurite, _names, Now);

        await strict.Get<AlertDelivery>().DeliverAsync(JsonSerializer.Serialize(alert, ApiJson.Options), default);

        Assert.Empty(_receiver.Received);
        var poison = (await strict.Get<MeteringTables>().AlertsPoison.ReceiveMessageAsync()).Value;
        Assert.Contains("address was refused: host '127.0.0.1' resolves to a loopback address", poison.Body.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", poison.Body.ToString(), StringComparison.Ordinal);
    }

    private async Task<string> SubscribeAsync(string accountId, string kind, decimal threshold, string? reference = null)
    {
        await _harness.Get<AccountRegistry>().SetPlanAsync(accountId, _harness.Get<PlanCatalog>().Get("starter"), default);
        var created = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<AlertSubscriptionsApi>().CreateAsync(r, accountId, default), "POST",
            JsonSerializer.Serialize(new { kind, threshold, webhookUrl = _receiver.Url, reference = reference ?? "hook-" + kind }));
        Assert.Equal(201, created.Status);
        return created.Json.GetProperty("secret").GetString()!;
    }

    /// <summary>Polly's chaos fault after the first conditional merge (a claim) has been applied: its answer is lost.</summary>
    private sealed class FirstClaimAnswerLost : Azure.Core.Pipeline.HttpPipelinePolicy
    {
        private int _claims;

        private readonly Polly.ResiliencePipeline _lose = new Polly.ResiliencePipelineBuilder()
            .AddChaosFault(1.0, () => new IOException("the claim's answer was lost"))
            .Build();

        public override void Process(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException();

        public override async ValueTask ProcessAsync(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            var conditional = message.Request.Headers.TryGetValue("If-Match", out var etag) && etag != "*";
            if (message.Request.Method == Azure.Core.RequestMethod.Patch || message.Request.Method.Method == "MERGE")
            {
                if (conditional && message.Response.Status < 300 && Interlocked.Increment(ref _claims) == 1)
                {
                    await _lose.ExecuteAsync(static _ => ValueTask.CompletedTask);
                }
            }
        }
    }
}
