using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using UsageProcessor.Host.Commands;
using UsageProcessor.Host.Tests.Infrastructure;
using Xunit.Abstractions;

namespace UsageProcessor.Host.Tests;

/// <summary>The real self-host process over its own Azurite: a day of traffic, a SIGTERM mid-stream, a restart.</summary>
public sealed class SelfHostEndToEndTests(DedicatedAzurite azurite, ITestOutputHelper output) : IClassFixture<DedicatedAzurite>
{
    private const string JobQueue = "job-completed";
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ProcessingPatience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SelfHost_Routes_NeedTheFunctionKeyUnlessAnonymous()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        await using var host = SelfHostProcess.Start(azurite.ConnectionString);
        await host.WaitUntilHealthyAsync(http, StartPatience);
        var balance = new Uri(host.BaseAddress, "api/accounts/nobody/balance");

        var openApi = await http.GetAsync(new Uri(host.BaseAddress, "api/openapi.json"));
        var noKey = await http.GetAsync(balance);
        var wrongKey = await SendAsync(http, HttpMethod.Get, balance, "not-the-key");
        var headerKey = await SendAsync(http, HttpMethod.Get, balance, SelfHostProcess.FunctionKey);
        var queryKey = await http.GetAsync(new Uri(balance + "?code=" + SelfHostProcess.FunctionKey));

        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal("application/problem+json", noKey.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, headerKey.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, queryKey.StatusCode);
        Assert.Equal(0, await host.TerminateAsync(StopPatience));
    }

    [Fact]
    public async Task SelfHost_MetricsEndpoint_ServesTheProductsInstrumentsBehindTheKey()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        var queue = new QueueClient(azurite.ConnectionString, JobQueue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        await using var host = SelfHostProcess.Start(azurite.ConnectionString);
        await host.WaitUntilHealthyAsync(http, StartPatience);
        var account = $"metrics-{Guid.NewGuid():N}"[..20];
        var job = JsonSerializer.Serialize(new { jobId = "m-1", accountId = account, completedAt = DateTimeOffset.UtcNow.AddMinutes(-1), domain = "document.invoice", pages = 2 });
        await SendAllAsync(queue, [job, job, """{"jobId":"m-2","accountId":"bad"}"""]);
        var metrics = new Uri(host.BaseAddress, "api/metrics");

        var text = string.Empty;
        await WaitUntilAsync(async () =>
        {
            using var scrape = await SendAsync(http, HttpMethod.Get, metrics, SelfHostProcess.FunctionKey);
            text = await scrape.Content.ReadAsStringAsync();
            return scrape.StatusCode == HttpStatusCode.OK
                && text.Contains("outcome=\"billed\"", StringComparison.Ordinal)
                && text.Contains("outcome=\"duplicate\"", StringComparison.Ordinal)
                && text.Contains("outcome=\"rejected\"", StringComparison.Ordinal);
        }, ProcessingPatience, () => Task.FromResult($"{text}\n{host.Log()}"));
        using var noKey = await http.GetAsync(metrics);

        Assert.Contains("usage_processor_jobs_total", text, StringComparison.Ordinal);
        Assert.Contains("usage_processor_billed_microcredits_total", text, StringComparison.Ordinal);
        Assert.Contains("usage_processor_storage_requests_total{", text, StringComparison.Ordinal);
        Assert.Contains("usage_processor_job_lag_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("usage_processor_queue_messages{", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal("application/problem+json", noKey.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await host.TerminateAsync(StopPatience));
    }

    [Fact]
    public async Task SelfHost_UnknownRouteWrongMethodAndDotSegment_AnswerProblemDocuments()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        await using var host = SelfHostProcess.Start(azurite.ConnectionString);
        await host.WaitUntilHealthyAsync(http, StartPatience);

        var unknown = await SendAsync(http, HttpMethod.Get, new Uri(host.BaseAddress, "api/no-such-route"), SelfHostProcess.FunctionKey);
        var wrongMethod = await SendAsync(http, HttpMethod.Delete, new Uri(host.BaseAddress, "api/quote"), SelfHostProcess.FunctionKey);
        var dots = await SendAsync(http, HttpMethod.Get, new Uri(host.BaseAddress + "api/accounts/%2E%2E/balance"), SelfHostProcess.FunctionKey);

        foreach (var (answer, status) in new[] { (unknown, HttpStatusCode.NotFound), (wrongMethod, HttpStatusCode.MethodNotAllowed), (dots, HttpStatusCode.NotFound) })
        {
            Assert.Equal(status, answer.StatusCode);
            Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        }

        Assert.Equal("POST", string.Join(",", wrongMethod.Content.Headers.Allow));
        Assert.Equal(0, await host.TerminateAsync(StopPatience));
    }

    [Fact]
    public async Task SelfHost_SampleDayThenSigtermMidStreamThenRestart_BillsEveryJobExactlyOnce()
    {
        var clock = Stopwatch.StartNew();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        var queue = new QueueClient(azurite.ConnectionString, JobQueue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var poison = new QueueClient(azurite.ConnectionString, JobQueue + "-poison");
        var rejected = new TableClient(azurite.ConnectionString, "rejected");

        var lines = SampleDay.ReadLines();
        var offset = CompletedAtShift.OffsetFor(lines, DateTimeOffset.UtcNow);
        var batch1 = lines.Select(l => CompletedAtShift.Apply(l, offset)).ToList();
        var batch2 = batch1.Select(WithNewJobId).ToList();
        var periods = PeriodsOf(batch1.Concat(batch2));

        // 1. A day of traffic, duplicates and one invalid line included.
        var first = SelfHostProcess.Start(azurite.ConnectionString);
        await using (first)
        {
            await first.WaitUntilHealthyAsync(http, StartPatience);
            await SendAllAsync(queue, batch1);
            await WaitUntilAsync(async () => Matches(await ReadTotalsAsync(http, first, periods), times: 1), ProcessingPatience,
                async () => $"Balances after the first batch: {Describe(await ReadTotalsAsync(http, first, periods))}\n{first.Log()}");

            Assert.Equal(SampleDay.Accounts.Values.Sum(a => a.Jobs), await CountUsageAsync(http, first, periods));
            var rows = await RejectedRowsAsync(rejected);
            Assert.Equal([SampleDay.InvalidJobId], rows.Select(r => r.GetString("JobId")));
            Assert.Equal("Invalid", rows[0].GetString("Kind"));
            Assert.Contains("credits-exhausted", await AlertKindsAsync(http, first, "acme-corp", periods));
            Assert.DoesNotContain("credits-exhausted", await AlertKindsAsync(http, first, "tailspin-labs", periods));

            // 2. A second batch of new jobs; SIGTERM once some of it is billed, while the rest is still arriving or queued.
            var firstBatchJobs = SampleDay.Accounts.Values.Sum(a => a.Jobs);
            var sending = SendAllAsync(queue, batch2);
            await WaitUntilAsync(async () => (await ReadTotalsAsync(http, first, periods)).Values.Sum(t => t.Jobs) >= firstBatchJobs + 20,
                ProcessingPatience, () => Task.FromResult(first.Log()));
            Assert.Equal(0, await first.TerminateAsync(StopPatience));
            Assert.Contains(first.Lines, l => l.Contains("Queue listeners drained", StringComparison.Ordinal));
            await sending;
        }

        var leftAtStop = await CountAsync(queue);
        output.WriteLine($"{leftAtStop} of {batch2.Count} messages of the second batch were left when the first host stopped ({clock.Elapsed}).");
        Assert.True(leftAtStop > 0, "The host finished the whole batch before SIGTERM landed; the test did not stop it mid-stream.");

        // 3. A restart on the same storage finishes the batch: nothing lost, nothing counted twice.
        var second = SelfHostProcess.Start(azurite.ConnectionString);
        await using (second)
        {
            await second.WaitUntilHealthyAsync(http, StartPatience);
            await WaitUntilAsync(async () => await CountAsync(queue) == 0 && Matches(await ReadTotalsAsync(http, second, periods), times: 2),
                ProcessingPatience,
                async () => $"Queue {await CountAsync(queue)}; balances {Describe(await ReadTotalsAsync(http, second, periods))}\n{second.Log()}");

            Assert.True(Matches(await ReadTotalsAsync(http, second, periods), times: 2));
            Assert.Equal(2 * SampleDay.Accounts.Values.Sum(a => a.Jobs), await CountUsageAsync(http, second, periods));
            Assert.Equal(0, await CountAsync(poison));
            Assert.Equal(2, (await RejectedRowsAsync(rejected)).Count);
            Assert.Equal(0, await second.TerminateAsync(StopPatience));
        }

        output.WriteLine($"Done in {clock.Elapsed}.");
    }

    [Fact]
    public async Task SelfHost_ChunkedAdmissionWithoutContentTypeAndLoneSurrogate_AreReadNotIgnoredOr500()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        await using var host = SelfHostProcess.Start(azurite.ConnectionString);
        await host.WaitUntilHealthyAsync(http, StartPatience);
        var account = $"chunked-{Guid.NewGuid():N}"[..20];
        using (var put = new HttpRequestMessage(HttpMethod.Put, new Uri(host.BaseAddress, $"api/accounts/{account}")))
        {
            put.Headers.Add("x-functions-key", SelfHostProcess.FunctionKey);
            put.Content = new StringContent("""{"plan":"starter"}""", System.Text.Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.Created, (await http.SendAsync(put)).StatusCode);
        }

        async Task<HttpResponseMessage> ChunkedAsync(string body)
        {
            // A stream of unknown length is sent chunked; StreamContent sets no Content-Type.
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.BaseAddress, $"api/accounts/{account}/admissions"))
            {
                Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body))),
            };
            request.Headers.Add("x-functions-key", SelfHostProcess.FunctionKey);
            request.Headers.TransferEncodingChunked = true;
            return await http.SendAsync(request);
        }

        using var reserved = await ChunkedAsync("""{"requestId":"req-chunked","domain":"document.invoice","detail":"hi","pages":2,"serviceTier":"flex"}""");
        using var surrogate = await ChunkedAsync("""{"requestId":"req-surrogate","domain":"document.invoice\ud800","pages":1}""");

        Assert.Equal(HttpStatusCode.OK, reserved.StatusCode);
        Assert.Equal(4m, JsonNode.Parse(await reserved.Content.ReadAsStringAsync())!["reservation"]!["credits"]!.GetValue<decimal>());
        Assert.Equal(HttpStatusCode.BadRequest, surrogate.StatusCode);
        Assert.Contains("lone UTF-16 surrogate", JsonNode.Parse(await surrogate.Content.ReadAsStringAsync())!["errors"]!["domain"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await host.TerminateAsync(StopPatience));
    }

    [Fact]
    public async Task SelfHost_CustomModelsAndPriceBooks_WorkOverHttpAndTheQueue()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        var queue = new QueueClient(azurite.ConnectionString, JobQueue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        await using var host = SelfHostProcess.Start(azurite.ConnectionString);
        await host.WaitUntilHealthyAsync(http, StartPatience);
        var account = $"models-{Guid.NewGuid():N}"[..20];
        using (var put = new HttpRequestMessage(HttpMethod.Put, new Uri(host.BaseAddress, $"api/accounts/{account}")))
        {
            put.Headers.Add("x-functions-key", SelfHostProcess.FunctionKey);
            put.Content = new StringContent("""{"plan":"pro"}""", System.Text.Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.Created, (await http.SendAsync(put)).StatusCode);
        }

        var registrations = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            SendAsync(http, HttpMethod.Put, new Uri(host.BaseAddress, $"api/accounts/{account}/models/m{i}"), SelfHostProcess.FunctionKey)));
        var books = await SendAsync(http, HttpMethod.Get, new Uri(host.BaseAddress, "api/price-books"), SelfHostProcess.FunctionKey);
        var refused = await SendAsync(http, HttpMethod.Post, new Uri(host.BaseAddress, $"api/accounts/{account}/admissions?modelId=ghost"), SelfHostProcess.FunctionKey);
        var job = JsonSerializer.Serialize(new { jobId = "cm-1", accountId = account, completedAt = DateTimeOffset.UtcNow.AddMinutes(-1), domain = "document.invoice", pages = 2, modelId = "ghost" });
        await queue.SendMessageAsync(job);

        Assert.Equal(5, registrations.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(1, registrations.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(HttpStatusCode.OK, books.StatusCode);
        Assert.Equal("2026-11", JsonNode.Parse(await books.Content.ReadAsStringAsync())!["items"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        JsonNode? item = null;
        await WaitUntilAsync(async () =>
        {
            using var usage = await SendAsync(http, HttpMethod.Get, new Uri(host.BaseAddress, $"api/accounts/{account}/usage"), SelfHostProcess.FunctionKey);
            item = usage.IsSuccessStatusCode ? JsonNode.Parse(await usage.Content.ReadAsStringAsync())!["items"]!.AsArray().FirstOrDefault() : null;
            return item is not null;
        }, ProcessingPatience, () => Task.FromResult($"no usage record of {account} yet"));
        Assert.Equal(16m, item!["credits"]!.GetValue<decimal>());
        Assert.True(item["unregisteredModel"]!.GetValue<bool>());
        Assert.Equal(0, await host.TerminateAsync(StopPatience));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, Uri uri, string key)
    {
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Add("x-functions-key", key);
        return await http.SendAsync(request);
    }

    private static async Task SendAllAsync(QueueClient queue, IEnumerable<string> lines) =>
        await Parallel.ForEachAsync(lines, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (line, ct) => await queue.SendMessageAsync(line, ct));

    private static async Task<int> CountAsync(QueueClient queue) =>
        (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    // The same line billed as a different job: the id gets a suffix, everything else stays.
    private static string WithNewJobId(string line)
    {
        try
        {
            if (JsonNode.Parse(line) is JsonObject job && job["jobId"]?.GetValue<string>() is { } id)
            {
                job["jobId"] = id + ":r2";
                return job.ToJsonString();
            }
        }
        catch (JsonException)
        {
            // Not JSON: sent as it is.
        }

        return line;
    }

    // The shifted day may straddle the start of a month; balances are read for every month it touches.
    private static IReadOnlyList<string> PeriodsOf(IEnumerable<string> lines) =>
        [.. lines
            .Select(l => CompletedAtShift.TryRead(l, out _, out var at) ? at.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture) : null)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)];

    private static Task<Dictionary<string, (int Jobs, decimal Credits)>> ReadTotalsAsync(HttpClient http, SelfHostProcess host, IReadOnlyList<string> periods) =>
        SampleDayBalances.ReadAsync(http, host.BaseAddress, SelfHostProcess.FunctionKey, periods);

    private static bool Matches(Dictionary<string, (int Jobs, decimal Credits)> totals, int times) =>
        SampleDay.Accounts.All(a => totals[a.Key] == (a.Value.Jobs * times, a.Value.Credits * times));

    private static string Describe(Dictionary<string, (int Jobs, decimal Credits)> totals) =>
        string.Join(", ", totals.Select(t => $"{t.Key}: {t.Value.Jobs} jobs, {t.Value.Credits} credits"));

    private static async Task<int> CountUsageAsync(HttpClient http, SelfHostProcess host, IReadOnlyList<string> periods)
    {
        var count = 0;
        foreach (var account in SampleDay.Accounts.Keys)
        {
            foreach (var period in periods)
            {
                using var response = await SendAsync(http, HttpMethod.Get, Api(host, $"accounts/{account}/usage?period={period}&limit=1000"), SelfHostProcess.FunctionKey);
                response.EnsureSuccessStatusCode();
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("nextCursor").ValueKind);
                count += body.RootElement.GetProperty("items").GetArrayLength();
            }
        }

        return count;
    }

    private static async Task<IReadOnlyList<string>> AlertKindsAsync(HttpClient http, SelfHostProcess host, string account, IReadOnlyList<string> periods)
    {
        var kinds = new List<string>();
        foreach (var period in periods)
        {
            using var response = await SendAsync(http, HttpMethod.Get, Api(host, $"accounts/{account}/alerts?period={period}"), SelfHostProcess.FunctionKey);
            response.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            kinds.AddRange(body.RootElement.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("kind").GetString()!));
        }

        return kinds;
    }

    private static async Task<List<TableEntity>> RejectedRowsAsync(TableClient rejected)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in rejected.QueryAsync<TableEntity>(e => e.PartitionKey == JobQueue))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static Uri Api(SelfHostProcess host, string relative) => new(host.BaseAddress, "api/" + relative);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan patience, Func<Task<string>> describe)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not reached within {patience}. {await describe()}");
            }

            await Task.Delay(50);
        }
    }
}
