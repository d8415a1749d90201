using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using UsageProcessor.Host.Commands;
using UsageProcessor.Host.Tests.Infrastructure;

namespace UsageProcessor.Host.Tests;

/// <summary>The sample day through the real self-host's front door, <c>POST /api/events</c>, in each format it reads.</summary>
public sealed class SelfHostEventsTests(DedicatedAzurite azurite) : IClassFixture<DedicatedAzurite>
{
    private const string CloudEventType = "com.usageprocessor.job.completed";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task SendEvents_SampleDayAsJsonNdjsonGzipAndCloudEvents_GivesTheReadmeBalancesForEach()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var lines = SampleDay.ReadLines();
        var offset = CompletedAtShift.OffsetFor(lines, DateTimeOffset.UtcNow);
        var shifted = lines.Select(l => CompletedAtShift.Apply(l, offset)).ToList();
        var periods = shifted.Select(l => CompletedAtShift.TryRead(l, out _, out var at) ? at.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture) : null)
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        string[] formats = ["json", "ndjson", "cloudevents"];

        var host = SelfHostProcess.Start(azurite.ConnectionString);
        await using (host)
        {
            await host.WaitUntilHealthyAsync(http, TimeSpan.FromSeconds(60));
            foreach (var format in formats)
            {
                // Each format bills its own copy of the accounts, so each must give the README's figures alone.
                var events = shifted.Select(l => WithAccountSuffix(l, format)).ToList();
                var refused = new List<string>();
                foreach (var chunk in events.Chunk(100))
                {
                    using var response = await http.SendAsync(Request(host, format, chunk));
                    var body = await response.Content.ReadAsStringAsync();
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{format}: {(int)response.StatusCode} {body}");
                    using var answer = JsonDocument.Parse(body);
                    Assert.Equal(0, answer.RootElement.GetProperty("notStored").GetInt32());
                    refused.AddRange(answer.RootElement.GetProperty("results").EnumerateArray()
                        .Where(r => r.GetProperty("status").GetString() == "refused").Select(r => r.GetProperty("jobId").GetString()!));
                }

                // The invalid line is refused at the door (never enqueued); its 8 redeliveries are accepted and bill nothing.
                Assert.Equal([SampleDay.InvalidJobId], refused);
            }

            foreach (var format in formats)
            {
                var deadline = DateTime.UtcNow + Patience;
                Dictionary<string, (int Jobs, decimal Credits)> totals;
                while (!Matches(totals = await ReadTotalsAsync(http, host, format, periods)))
                {
                    Assert.True(DateTime.UtcNow < deadline, $"{format}: {string.Join(", ", totals)}\n{host.Log()}");
                    await Task.Delay(200);
                }
            }

            Assert.Equal(0, await host.TerminateAsync(TimeSpan.FromSeconds(30)));
        }
    }

    [Fact]
    public async Task SendEvents_WholeBatchesRetriedWhileStorageFaultsAndLosesAnswers_BillEveryJobExactlyOnce()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var lines = SampleDay.ReadLines();
        var offset = CompletedAtShift.OffsetFor(lines, DateTimeOffset.UtcNow);
        var events = lines.Select(l => WithAccountSuffix(CompletedAtShift.Apply(l, offset), "chaos")).ToList();
        var periods = events.Select(l => CompletedAtShift.TryRead(l, out _, out var at) ? at.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture) : null)
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        // Every storage request of the host may fail or lose its answer, the front door's sends and the listener's commits alike.
        var host = SelfHostProcess.Start(azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Metering__Chaos__FaultRate"] = "0.1",
            ["Metering__Chaos__LostResponseRate"] = "0.2",
            ["Metering__Chaos__Seed"] = "5",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
        });
        await using (host)
        {
            await host.WaitUntilHealthyAsync(http, TimeSpan.FromSeconds(60));
            var retried = 0;
            foreach (var chunk in events.Chunk(50))
            {
                for (var attempt = 1; ; attempt++)
                {
                    using var response = await http.SendAsync(Request(host, "json", chunk));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        break;
                    }

                    // A 503 says which events were not stored; this client simply sends the whole batch again.
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                    retried++;
                    Assert.True(attempt < 20, await response.Content.ReadAsStringAsync());
                }
            }

            var deadline = DateTime.UtcNow + Patience;
            Dictionary<string, (int Jobs, decimal Credits)> totals = [];
            while (!Matches(totals = await TryReadTotalsAsync(http, host, "chaos", periods) ?? totals))
            {
                Assert.True(DateTime.UtcNow < deadline, $"{retried} batches retried; {string.Join(", ", totals)}\n{host.Log()}");
                await Task.Delay(250);
            }
        }
    }

    private static string WithAccountSuffix(string line, string format)
    {
        var job = JsonNode.Parse(line)!.AsObject();
        job["accountId"] = $"{job["accountId"]!.GetValue<string>()}-{format}";
        return job.ToJsonString();
    }

    private static HttpRequestMessage Request(SelfHostProcess host, string format, IReadOnlyList<string> events)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.BaseAddress, "api/events"));
        request.Headers.Add("x-functions-key", SelfHostProcess.FunctionKey);
        switch (format)
        {
            case "json":
                request.Content = new StringContent($"[{string.Join(',', events)}]", Encoding.UTF8, "application/json");
                break;
            case "ndjson":
                using (var compressed = new MemoryStream())
                {
                    using (var zip = new GZipStream(compressed, CompressionLevel.Fastest))
                    {
                        zip.Write(Encoding.UTF8.GetBytes(string.Join('\n', events)));
                    }

                    request.Content = new ByteArrayContent(compressed.ToArray());
                }

                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
                request.Content.Headers.ContentEncoding.Add("gzip");
                break;
            default:
                var cloudEvents = events.Select((e, i) => new JsonObject
                {
                    ["specversion"] = "1.0",
                    ["id"] = $"sample-{i}",
                    ["source"] = "/samples/day",
                    ["type"] = CloudEventType,
                    ["datacontenttype"] = "application/json",
                    ["data"] = JsonNode.Parse(e),
                });
                request.Content = new StringContent(new JsonArray([.. cloudEvents]).ToJsonString(), Encoding.UTF8);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents-batch+json");
                break;
        }

        return request;
    }

    private static Task<Dictionary<string, (int Jobs, decimal Credits)>> ReadTotalsAsync(
        HttpClient http, SelfHostProcess host, string format, IReadOnlyList<string> periods) =>
        SampleDayBalances.ReadAsync(http, host.BaseAddress, SelfHostProcess.FunctionKey, periods, "-" + format);

    // Reads through the faulty host may fail themselves; such a read just counts as not there yet.
    private static async Task<Dictionary<string, (int Jobs, decimal Credits)>?> TryReadTotalsAsync(
        HttpClient http, SelfHostProcess host, string format, IReadOnlyList<string> periods)
    {
        try
        {
            return await ReadTotalsAsync(http, host, format, periods);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static bool Matches(Dictionary<string, (int Jobs, decimal Credits)> totals) =>
        SampleDay.Accounts.All(a => totals.TryGetValue(a.Key, out var t) && t == a.Value);
}
