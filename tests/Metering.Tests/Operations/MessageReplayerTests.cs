using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Operations;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Operations;

[Collection(AzuriteCollection.Name)]
public sealed class MessageReplayerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 19, 20, 0, TimeSpan.Zero);
    private readonly TestNames _names = azurite.UniqueNames(nameof(MessageReplayerTests));
    private MeteringHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await MeteringHarness.CreateAsync(azurite, _names, Now);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task ReplayRejectedAsync_RejectedRecord_GoesBackToTheQueueAndIsForgotten()
    {
        var body = JobMessages.Create("job-replay", "acct-replay", Now.AddMinutes(-1), domain: "web.page");
        await _harness.Get<JobIngestion>().HandleAsync(new JobMessage(body, "rejected-1"), default);

        var replayed = await _harness.Get<MessageReplayer>().ReplayRejectedAsync(null, 100, default);

        Assert.Equal(1, replayed);
        var queued = await _harness.Get<MeteringTables>().Jobs.ReceiveMessageAsync();
        Assert.Equal(body, queued.Value.Body.ToString());
        Assert.Empty(await _harness.Get<RejectedJobStore>().ListAsync(_names.QueuePrefix + "-jobs", 10, default));
    }

    [Fact]
    public async Task ReplayPoisonAsync_PoisonMessages_MoveBackToTheJobQueueAndBillOnce()
    {
        var tables = _harness.Get<MeteringTables>();
        var body = JobMessages.Create("job-poison", "acct-poison", Now.AddMinutes(-1), pages: 2);
        await tables.JobsPoison.SendMessageAsync(body);
        await tables.JobsPoison.SendMessageAsync(body);

        var report = await _harness.Get<MessageReplayer>().ReplayPoisonAsync(10, default);

        Assert.Equal(2, report.Moved);
        Assert.Empty(report.Kept);
        var messages = (await tables.Jobs.ReceiveMessagesAsync(10)).Value;
        Assert.Equal(2, messages.Length);
        var ingestion = _harness.Get<JobIngestion>();
        var results = new List<IngestionStatus>();
        foreach (var message in messages)
        {
            results.Add((await ingestion.HandleAsync(new JobMessage(message.Body.ToString(), message.MessageId), default)).Status);
        }

        Assert.Equal([IngestionStatus.Billed, IngestionStatus.Duplicate], results);
        var balance = await _harness.Get<AccountReads>().GetPeriodAsync("acct-poison", BillingPeriod.Of(Now), default);
        Assert.Equal(4m, balance!.UsedCredits);
    }

    [Fact]
    public async Task ReplayPoisonAsync_MessageNotBase64_IsKeptVisibleAndTheOthersMove()
    {
        var tables = _harness.Get<MeteringTables>();
        var raw = new Azure.Storage.Queues.QueueClient(azurite.ConnectionString, tables.JobsPoison.Name);
        await tables.JobsPoison.SendMessageAsync(JobMessages.Create("job-before", "acct-raw", Now.AddMinutes(-1)));
        await raw.SendMessageAsync("{\"jobId\":\"plain-json-not-base64\"}");
        await tables.JobsPoison.SendMessageAsync(JobMessages.Create("job-after", "acct-raw", Now.AddMinutes(-1)));

        var report = await _harness.Get<MessageReplayer>().ReplayPoisonAsync(10, default);

        Assert.Equal(2, report.Moved);
        var kept = Assert.Single(report.Kept);
        Assert.Contains("not base64", kept.Reason, StringComparison.Ordinal);
        var moved = (await tables.Jobs.ReceiveMessagesAsync(10)).Value.Select(m => m.Body.ToString()).ToList();
        Assert.Equal(2, moved.Count);
        Assert.All(moved, body => Assert.Contains("acct-raw", body, StringComparison.Ordinal));
        var left = (await raw.PeekMessagesAsync(10)).Value;
        Assert.Equal("{\"jobId\":\"plain-json-not-base64\"}", Assert.Single(left).Body.ToString());
    }
}
