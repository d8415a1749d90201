using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Operations;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Ingestion;

/// <summary>Envelopes of many jobs through the queue trigger's entry point, against Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class EnvelopeIngestionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly TestNames _names = azurite.UniqueNames(nameof(EnvelopeIngestionTests));
    private MeteringHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await MeteringHarness.CreateAsync(azurite, _names, Now);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static string Job(string jobId, string accountId, int pages = 1) =>
        JobMessages.Create(jobId, accountId, Now.AddMinutes(-5), detail: "lo", pages: pages);

    private static string Envelope(IEnumerable<string> jobs) =>
        Assert.Single(JobEnvelope.Pack([.. jobs.Select(j => (AccountId: "any", Json: (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(j)))])).Text;

    private async Task<(long Jobs, decimal Credits)> BalanceAsync(MeteringHarness harness, string accountId) =>
        await harness.Get<AccountReads>().GetPeriodAsync(accountId, BillingPeriod.Of(Now), default) is { } p ? (p.Jobs, p.UsedCredits) : (0, 0m);

    [Fact]
    public async Task HandleQueueMessageAsync_EnvelopeWithAnUnpriceableJob_RejectsItAloneUnderItsPositionAndBillsTheRest()
    {
        var bad = JobMessages.Create("env-bad", "acct-env-a", Now.AddMinutes(-5), domain: "document.markdown", grounding: true);
        var body = Envelope([Job("env-1", "acct-env-a"), bad, Job("env-2", "acct-env-b", 2), Job("env-3", "acct-env-a")]);

        var results = await _harness.Get<JobIngestion>().HandleQueueMessageAsync(new JobMessage(body, "msg-7"), default);

        Assert.Equal([IngestionStatus.Billed, IngestionStatus.Rejected, IngestionStatus.Billed, IngestionStatus.Billed], results.Select(r => r.Status));
        Assert.Equal((2, 2m), await BalanceAsync(_harness, "acct-env-a"));
        Assert.Equal((1, 2m), await BalanceAsync(_harness, "acct-env-b"));
        var source = _harness.Get<IOptions<MeteringOptions>>().Value.JobQueue;
        var record = await _harness.Get<RejectedJobStore>().GetAsync(source, "msg-7-1", default);
        Assert.NotNull(record);
        Assert.Equal(bad, record.Body);
        Assert.Equal("env-bad", record.JobId);
        Assert.Contains(record.Reasons, r => r.Field == "grounding");
    }

    [Fact]
    public async Task HandleQueueMessageAsync_SameEnvelopeRedelivered_BillsNothingTwice()
    {
        var body = Envelope(Enumerable.Range(0, 10).Select(i => Job($"redo-{i}", $"acct-redo-{i % 2}")));
        var ingestion = _harness.Get<JobIngestion>();

        var first = await ingestion.HandleQueueMessageAsync(new JobMessage(body, "m-redo"), default);
        var second = await ingestion.HandleQueueMessageAsync(new JobMessage(body, "m-redo"), default);

        Assert.All(first, r => Assert.Equal(IngestionStatus.Billed, r.Status));
        Assert.All(second, r => Assert.Equal(IngestionStatus.Duplicate, r.Status));
        Assert.Equal((5, 5m), await BalanceAsync(_harness, "acct-redo-0"));
    }

    [Theory]
    [InlineData("""{"envelope":"job-completed-batch","version":9,"jobs":[]}""")]
    [InlineData("""{"envelope":"something-else","version":1,"jobs":[{}]}""")]
    public async Task HandleQueueMessageAsync_BrokenEnvelope_RejectsTheWholeMessageWithItsReasons(string body)
    {
        var result = Assert.Single(await _harness.Get<JobIngestion>().HandleQueueMessageAsync(new JobMessage(body, "m-broken"), default));

        Assert.Equal(IngestionStatus.Rejected, result.Status);
        var source = _harness.Get<IOptions<MeteringOptions>>().Value.JobQueue;
        Assert.Equal(body, (await _harness.Get<RejectedJobStore>().GetAsync(source, "m-broken", default))!.Body);
    }

    [Fact]
    public async Task HandleQueueMessageAsync_SixtyJobsOfOneAccount_CommitInThreeTransactions()
    {
        var counter = new StorageRequestCounter(TimeProvider.System);
        await using var counted = await MeteringHarness.CreateAsync(azurite, _names, Now, services =>
            services.AddSingleton(StorageAccount.FromConnectionString(azurite.ConnectionString, extra: [counter])));
        var ingestion = counted.Get<JobIngestion>();
        // Warm the account, as a running host has it: the figure below is the steady state.
        await ingestion.HandleQueueMessageAsync(new JobMessage(Job("warm", "acct-env-sixty"), "m-warm"), default);
        counter.Reset();

        await ingestion.HandleQueueMessageAsync(new JobMessage(Envelope(Enumerable.Range(0, 60).Select(i => Job($"sixty-{i}", "acct-env-sixty"))), "m-60"), default);

        Assert.Equal(61, (await BalanceAsync(counted, "acct-env-sixty")).Jobs);
        Assert.Equal(3, counter["table transaction"]);
        // 24 jobs per transaction (AccountLedger.MaxJobsPerCommit); the other requests are the alerts the 61 credits raise.
    }

    [Fact]
    public async Task HandleQueueMessageAsync_EnvelopeRedeliveredThroughStorageFaults_EveryJobBilledExactlyOnce()
    {
        MeteringHarness? faulty = null;
        for (var attempt = 1; faulty is null; attempt++)
        {
            try
            {
                faulty = await MeteringHarness.CreateAsync(azurite, _names, Now, settings: new Dictionary<string, string?>
                {
                    ["Metering:Chaos:FaultRate"] = "0.2",
                    ["Metering:Chaos:LostResponseRate"] = "0.3",
                    ["Metering:Chaos:Seed"] = $"{21 + attempt}",
                });
            }
            catch (Exception e) when ((e is IOException || e is Azure.RequestFailedException) && attempt < 50)
            {
            }
        }

        await using (faulty)
        {
            var body = Envelope(Enumerable.Range(0, 90).Select(i => Job($"fault-{i}", $"acct-env-fault-{i % 3}")));
            for (var delivery = 1; ; delivery++)
            {
                try
                {
                    await faulty.Get<JobIngestion>().HandleQueueMessageAsync(new JobMessage(body, "m-fault"), default);
                    break;
                }
                catch (Exception) when (delivery < 40)
                {
                    // Left for redelivery, as the queue would.
                }
            }
        }

        for (var a = 0; a < 3; a++)
        {
            Assert.Equal((30, 30m), await BalanceAsync(_harness, $"acct-env-fault-{a}"));
        }
    }

    [Fact]
    public async Task ReplayPoisonAsync_PoisonedEnvelope_BillsEveryValidJobItCarriesAndRejectsOnlyTheBadOne()
    {
        var bad = JobMessages.Create("poison-bad", "acct-env-poison", Now.AddMinutes(-5), domain: "document.markdown", grounding: true);
        var body = Envelope([Job("poison-1", "acct-env-poison"), bad, Job("poison-2", "acct-env-poison-b", 3)]);
        var tables = _harness.Get<MeteringTables>();
        await tables.JobsPoison.SendMessageAsync(body);

        await _harness.Get<MessageReplayer>().ReplayPoisonAsync(10, default);
        var (results, messages) = await _harness.DrainJobsAsync();

        Assert.Equal(1, messages);
        Assert.Equal([IngestionStatus.Billed, IngestionStatus.Rejected, IngestionStatus.Billed], results.Select(r => r.Status));
        Assert.Equal((1, 1m), await BalanceAsync(_harness, "acct-env-poison"));
        Assert.Equal((1, 3m), await BalanceAsync(_harness, "acct-env-poison-b"));
    }

    [Fact]
    public async Task ReplayRejectedAsync_JobRejectedFromAnEnvelope_GoesBackAsASingleJobMessage()
    {
        var bad = JobMessages.Create("env-replay", "acct-env-replay", Now.AddMinutes(-5), domain: "document.markdown", grounding: true);
        await _harness.Get<JobIngestion>().HandleQueueMessageAsync(new JobMessage(Envelope([Job("env-ok", "acct-env-replay"), bad]), "m-replay"), default);

        Assert.Equal(1, await _harness.Get<MessageReplayer>().ReplayRejectedAsync("m-replay-1", 10, default));
        var (results, _) = await _harness.DrainJobsAsync();

        // Replayed as it was, it is rejected again as itself: a single-job message with the same reasons.
        Assert.Equal("env-replay", Assert.Single(results).JobId);
        Assert.Equal(IngestionStatus.Rejected, results[0].Status);
    }
}
