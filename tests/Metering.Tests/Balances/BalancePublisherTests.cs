using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Balances;
using UsageProcessor.Metering.Http.Alerts;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Metering.Webhooks;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Balances;

/// <summary>Running balances published after commits over real Azurite: coalescing, sequence numbers, webhooks, and failures that never reach a commit.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BalancePublisherTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private MeteringHarness _harness = null!;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _harness = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames(nameof(BalancePublisherTests)), Now, services =>
            services.Configure<WebhookDeliveryOptions>(o => (o.RetryDelay, o.MaxRetryAttempts) = (TimeSpan.FromMilliseconds(10), 1)),
            new Dictionary<string, string?> { ["Metering:AllowLoopbackWebhooks"] = "true", ["Metering:BalanceUpdateInterval"] = "00:00:05" });
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _harness.DisposeAsync();
    }

    private BalancePublisher Publisher => _harness.Get<BalancePublisher>();

    private async Task OnPlanAsync(string accountId, string plan) =>
        await _harness.Get<AccountRegistry>().SetPlanAsync(accountId, _harness.Get<PlanCatalog>().Get(plan), default);

    private Task<IngestionResult> CompleteAsync(string jobId, string accountId, int pages = 1) =>
        _harness.Get<JobIngestion>().HandleAsync(new JobMessage(JobMessages.Create(jobId, accountId, Now.AddSeconds(-30), detail: "hi", pages: pages), jobId), default);

    private async Task<List<BalanceUpdate>> DrainAsync()
    {
        var queue = _harness.Get<MeteringTables>().BalanceUpdates!;
        var updates = new List<BalanceUpdate>();
        while ((await queue.ReceiveMessagesAsync(32)).Value is { Length: > 0 } batch)
        {
            foreach (var message in batch)
            {
                updates.Add(JsonSerializer.Deserialize<BalanceUpdate>(message.MessageText, AlertJson.Options)!);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }

        return updates;
    }

    [Fact]
    public async Task FlushAsync_CommitsWithinOneInterval_PublishOneUpdateWithTheLatestFiguresAndSequence()
    {
        await OnPlanAsync("acct-bal", "starter");
        for (var i = 1; i <= 3; i++)
        {
            await CompleteAsync($"bal-{i}", "acct-bal", pages: 5);   // 20 credits each
        }

        var first = await Publisher.FlushAsync(default);
        var afterFirst = await DrainAsync();
        await CompleteAsync("bal-4", "acct-bal", pages: 5);
        await CompleteAsync("bal-5", "acct-bal", pages: 5);
        _harness.Clock.Advance(Interval - TimeSpan.FromMilliseconds(1));
        var tooSoon = await Publisher.FlushAsync(default);
        _harness.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var due = await Publisher.FlushAsync(default);
        var afterInterval = await DrainAsync();
        var idle = await Publisher.FlushAsync(default);

        Assert.Equal((1, 0, 1, 0), (first, tooSoon, due, idle));
        var one = Assert.Single(afterFirst);
        Assert.Equal(("acct-bal", 3L, "2026-11", 60m, 40m, 40m), (one.AccountId, one.Sequence, one.Period, one.UsedCredits, one.CreditsRemaining, one.WalletRemaining));
        var latest = Assert.Single(afterInterval);
        Assert.Equal((5L, 100m, 0m), (latest.Sequence, latest.UsedCredits, latest.CreditsRemaining));
        Assert.NotEqual(one.MessageId, latest.MessageId);
    }

    [Fact]
    public async Task FlushAsync_Update_ExpiresAfterTheConfiguredTimeToLive()
    {
        await CompleteAsync("ttl-1", "acct-bal-ttl");

        await Publisher.FlushAsync(default);

        var peeked = (await _harness.Get<MeteringTables>().BalanceUpdates!.PeekMessagesAsync(32)).Value
            .Single(m => m.MessageText.Contains("acct-bal-ttl", StringComparison.Ordinal));
        Assert.InRange((peeked.ExpiresOn!.Value - peeked.InsertedOn!.Value).TotalMinutes, 59, 61);
    }

    [Fact]
    public async Task Observe_NoQueueConfiguredAndNoBalanceWebhook_KeepsAndSendsNothing()
    {
        var names = azurite.UniqueNames(nameof(BalancePublisherTests));
        await using var quiet = await MeteringHarness.CreateAsync(azurite, names, Now,
            settings: new Dictionary<string, string?> { ["Metering:BalanceQueue"] = "" });
        await quiet.Get<JobIngestion>().HandleAsync(new JobMessage(JobMessages.Create("quiet-1", "acct-bal-quiet", Now.AddSeconds(-30)), "quiet-1"), default);

        Assert.Null(quiet.Get<MeteringTables>().BalanceUpdates);
        Assert.Equal(0, quiet.Get<BalancePublisher>().Waiting);
        Assert.Equal(0, await quiet.Get<BalancePublisher>().FlushAsync(default));
        Assert.False((await new Azure.Storage.Queues.QueueClient(azurite.ConnectionString, names.QueuePrefix + "-balances").ExistsAsync()).Value);
    }

    [Fact]
    public async Task Observe_OlderFiguresAfterNewer_KeepsTheNewer()
    {
        await OnPlanAsync("acct-order", "starter");
        var account = (await _harness.Get<AccountReads>().GetAccountAsync("acct-order", default))!;
        var newer = account.Clone();
        newer.BalanceSequence = 7;
        var older = account.Clone();
        older.BalanceSequence = 6;

        Publisher.Observe(newer, null);
        Publisher.Observe(older, null);
        await Publisher.FlushAsync(default);

        Assert.Equal([7L], (await DrainAsync()).Select(u => u.Sequence));
    }

    [Fact]
    public async Task FlushAsync_BalanceUpdatedSubscription_PostsEachUpdateSignedAndOnlyToThatKind()
    {
        await OnPlanAsync("acct-hook", "pro");
        var created = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<AlertSubscriptionsApi>().CreateAsync(r, "acct-hook", default), "POST",
            JsonSerializer.Serialize(new { kind = AlertKinds.BalanceUpdated, webhookUrl = _receiver.Url, reference = "hook-balance" }));
        var other = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<AlertSubscriptionsApi>().CreateAsync(r, "acct-hook", default), "POST",
            JsonSerializer.Serialize(new { kind = AlertKinds.CreditsUsed, threshold = 1_000_000, webhookUrl = _receiver.Url + "?other", reference = "hook-other" }));
        Assert.Equal((201, 201), (created.Status, other.Status));
        var secret = created.Json.GetProperty("secret").GetString()!;

        await CompleteAsync("hook-1", "acct-hook", pages: 5);
        await Publisher.FlushAsync(default);

        var post = Assert.Single(_receiver.Received);
        var update = JsonSerializer.Deserialize<BalanceUpdate>(post.Body, AlertJson.Options)!;
        Assert.Equal(("acct-hook", 1L, 20m, null), (update.AccountId, update.Sequence, update.UsedCredits, update.SpendCap));
        Assert.Equal(update.MessageId, post.MessageId);
        var timestamp = DateTimeOffset.FromUnixTimeSeconds(long.Parse(post.Headers["webhook-timestamp"].ToString(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(WebhookSignature.Sign(secret, post.MessageId, timestamp, post.Body), post.Headers["webhook-signature"].ToString());
        Assert.Equal(0m, created.Json.GetProperty("threshold").GetDecimal());
    }

    [Fact]
    public async Task FlushAsync_QueueMissing_NeverFailsTheCommitAndPublishesOnceItIsBack()
    {
        await OnPlanAsync("acct-down", "starter");
        var queue = _harness.Get<MeteringTables>().BalanceUpdates!;
        await queue.DeleteIfExistsAsync();

        var billed = await CompleteAsync("down-1", "acct-down");
        var whileDown = await Publisher.FlushAsync(default);
        var pending = Publisher.Waiting;
        await queue.CreateIfNotExistsAsync();
        _harness.Clock.Advance(Interval);
        var whenBack = await Publisher.FlushAsync(default);

        Assert.Equal(IngestionStatus.Billed, billed.Status);
        Assert.Equal((0, 1, 1), (whileDown, pending, whenBack));
        Assert.Equal([1L], (await DrainAsync()).Select(u => u.Sequence));
    }
}
