using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Azure.WebJobs.Script.Grpc.Messages;
using UsageProcessor.Functions.Tests.Infrastructure;
using UsageProcessor.Metering.Configuration;

namespace UsageProcessor.Functions.Tests;

/// <summary>The Functions app's front door and queue function while storage fails and loses answers: a CloudEvents batch retried whole bills once.</summary>
public sealed class FunctionsEventsChaosTests(ChaosFunctionsWorkerFixture worker) : IClassFixture<ChaosFunctionsWorkerFixture>
{
    [Fact]
    public async Task SendEvents_CloudEventsBatchRetriedWholeThroughStorageFaults_EveryJobBilledExactlyOnce()
    {
        var accountId = $"grpc-chaos-{Guid.NewGuid():N}"[..22];
        var at = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture);
        var batch = new JsonArray([.. Enumerable.Range(0, 60).Select(i => (JsonNode)new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = $"evt-{i}",
            ["source"] = "/tests/functions",
            ["type"] = "com.usageprocessor.job.completed",
            ["data"] = new JsonObject
            {
                ["jobId"] = $"chaos-{i}", ["accountId"] = accountId, ["completedAt"] = at,
                ["domain"] = "document.invoice", ["detail"] = "lo", ["pages"] = 1,
            },
        })]).ToJsonString();

        // 1. The client sends the whole batch until every event is accepted; a 503 lists the events not stored.
        for (var attempt = 1; ; attempt++)
        {
            using var content = new StringContent(batch, Encoding.UTF8);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/cloudevents-batch+json");
            using var sent = await worker.InvokeHttpAsync("SendEvents", HttpMethod.Post, "api/events", content);
            if (sent.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, sent.StatusCode);
            Assert.True(attempt < 30, await sent.Content.ReadAsStringAsync());
        }

        // 2. The host's part: deliver each message to the queue function until it succeeds (a failure is a redelivery).
        var queue = new QueueClient(worker.StorageConnection, MeteringNames.JobQueue);
        while ((await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30))).Value is { Length: > 0 } messages)
        {
            foreach (var message in messages)
            {
                for (var delivery = 1; ; delivery++)
                {
                    var invocation = await worker.InvokeQueueAsync("ProcessJobCompleted", message, delivery);
                    if (invocation.Result.Status == StatusResult.Types.Status.Success)
                    {
                        break;
                    }

                    Assert.True(delivery < 30, invocation.Result.Exception?.ToString());
                }

                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }

        // 3. Read the ledger directly (not through the faulty worker): 60 jobs of 1 credit, each counted once in its period.
        var ledger = new TableClient(worker.StorageConnection, worker.LedgerTable);
        var usage = 0;
        TableEntity? period = null;
        await foreach (var row in ledger.QueryAsync<TableEntity>(e => e.PartitionKey == accountId))
        {
            usage += row.RowKey.StartsWith("job|", StringComparison.Ordinal) ? 1 : 0;
            period = row.RowKey.StartsWith("period|", StringComparison.Ordinal) ? row : period;
        }

        Assert.Equal(60, usage);
        Assert.NotNull(period);
        Assert.Equal(60L, Convert.ToInt64(period["Jobs"], CultureInfo.InvariantCulture));
        Assert.Equal("60", period.GetString("UsedCredits"));
    }
}
