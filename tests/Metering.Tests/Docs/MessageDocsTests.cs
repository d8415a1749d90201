using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Storage.Queues;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Balances;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Statements;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Metering.Webhooks;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Docs;

/// <summary>
/// The queue messages the docs show, run against the product over real Azurite: each example reads as what the
/// product writes or reads, and the bytes on the queue are encoded as the docs say (base64 of UTF-8 JSON).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class MessageDocsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private MeteringHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames(nameof(MessageDocsTests)), Now);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static string Doc(string name) => File.ReadAllText(Path.Combine(AzuriteProcessRoot(), "docs", name));

    private static string AzuriteProcessRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Serverless.sln not found above the test binaries.");
    }

    // The first ```json block after the heading.
    private static JsonObject JsonExampleUnder(string doc, string heading)
    {
        var text = Doc(doc);
        var at = text.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(at >= 0, $"{doc} has no '{heading}'.");
        var block = JsonBlock().Match(text, at);
        Assert.True(block.Success, $"{doc} has no json block after '{heading}'.");
        return JsonNode.Parse(block.Groups["json"].Value)!.AsObject();
    }

    // What the page says before its example: it must say how the message sits on the queue.
    private static string ProseBefore(string doc, string heading)
    {
        var text = Doc(doc);
        var at = text.IndexOf(heading, StringComparison.Ordinal);
        return text[at..JsonBlock().Match(text, at).Index];
    }

    private static SortedSet<string> Names(JsonObject json) => new(json.Select(p => p.Key), StringComparer.Ordinal);

    // What is on the queue, as stored: read with a client that decodes nothing.
    private async Task<string> RawMessageAsync(QueueClient decoding)
    {
        var raw = new QueueClient(azurite.ConnectionString, decoding.Name);
        var message = Assert.Single((await raw.PeekMessagesAsync(32)).Value);
        return message.MessageText;
    }

    private static JsonObject DecodeBase64Json(string raw)
    {
        var bytes = Convert.FromBase64String(raw); // throws when the queue holds raw JSON, as the docs once showed
        return JsonNode.Parse(Encoding.UTF8.GetString(bytes))!.AsObject();
    }

    [Fact]
    public async Task BalanceUpdatesExample_ReadsAsTheProductsMessageAndTheQueueHoldsItsBase64()
    {
        var example = JsonExampleUnder("credits.md", "## Balance updates");
        await _harness.Get<AccountRegistry>().SetPlanAsync("acct-doc-bal", _harness.Get<PlanCatalog>().Get("starter"), default);
        await _harness.Get<JobIngestion>().HandleAsync(new JobMessage(JobMessages.Create("doc-bal-1", "acct-doc-bal", Now.AddSeconds(-30), detail: "hi", pages: 5), "doc-bal-1"), default);
        await _harness.Get<BalancePublisher>().FlushAsync(default);

        var written = DecodeBase64Json(await RawMessageAsync(_harness.Get<MeteringTables>().BalanceUpdates!));
        var read = JsonSerializer.Deserialize<BalanceUpdate>(example.ToJsonString(), AlertJson.Options)!;

        Assert.Contains("base64 of this UTF-8 JSON", ProseBefore("credits.md", "## Balance updates"), StringComparison.Ordinal);
        Assert.Equal(Names(written), Names(example));
        Assert.Equal(read.MessageId, example["messageId"]!.GetValue<string>());
        Assert.Equal(("acct-bal", 5L, 100m), (read.AccountId, read.Sequence, read.UsedCredits));
        Assert.Equal(Names(example), Names(JsonNode.Parse(JsonSerializer.Serialize(read, AlertJson.Options))!.AsObject()));
    }

    [Fact]
    public async Task InvoiceReadyExample_ReadsAsTheProductsEventAndTheQueueHoldsItsBase64()
    {
        var example = JsonExampleUnder("statements.md", "## The invoice-ready event");
        await _harness.Get<JobIngestion>().HandleAsync(new JobMessage(JobMessages.Create("doc-inv-1", "acct-doc-inv", Now.AddMinutes(-2), detail: "lo", pages: 3), "doc-inv-1"), default);
        _harness.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 4, 0, 5, 0, TimeSpan.Zero));
        await _harness.Get<StatementCloser>().CloseDueAsync(default);

        var written = DecodeBase64Json(await RawMessageAsync(_harness.Get<MeteringTables>().InvoiceReady));
        var read = JsonSerializer.Deserialize<InvoiceReadyEvent>(example.ToJsonString(), StatementStore.Json)!;

        Assert.Contains("base64 of this UTF-8 JSON", ProseBefore("statements.md", "## The invoice-ready event"), StringComparison.Ordinal);
        Assert.Equal(Names(written), Names(example));
        Assert.Equal(Names(written["totals"]!.AsObject()), Names(example["totals"]!.AsObject()));
        Assert.Equal(("invoice-ready", "acct-sample:2026-12", 17.5m), (read.Type, read.Id, read.Totals.AmountDueCredits));
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.Zero), written["closedAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task JobCompletedCliExample_EncodedAsTheDocsDo_IsReadByTheJobQueueAsAValidJob()
    {
        var body = CliBody().Match(Doc("messages.md")).Groups["body"].Value;
        var jobs = _harness.Get<MeteringTables>().Jobs;
        await jobs.CreateIfNotExistsAsync();
        // The docs' pipeline: printf '%s' "$body" | base64, sent as given by a client that encodes nothing.
        await new QueueClient(azurite.ConnectionString, jobs.Name).SendMessageAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(body)));

        var received = Assert.Single((await jobs.ReceiveMessagesAsync(32)).Value);

        Assert.Equal(body, received.MessageText);
        Assert.True(JobMessageParser.ParseJob(received.MessageText).IsSuccess);
    }

    [GeneratedRegex("```json\\n(?<json>.*?)\\n```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();

    [GeneratedRegex("body='(?<body>\\{[^']+\\})'")]
    private static partial Regex CliBody();
}
