using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Azure.WebJobs.Script.Grpc.Messages;
using UsageProcessor.Functions.Tests.Infrastructure;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Http;

namespace UsageProcessor.Functions.Tests;

/// <summary>
/// The built Functions app, started as the Functions host starts it and driven through the host-worker gRPC protocol
/// (Azure/azure-functions-language-worker-protobuf): start-up, metadata, loading and invocations of the three kinds
/// of trigger. Only the host's side is played here; everything of the worker is the shipped code.
/// </summary>
public sealed class FunctionsWorkerProtocolTests(FunctionsWorkerFixture worker) : IClassFixture<FunctionsWorkerFixture>
{
    private const string HttpTrigger = "httpTrigger";
    private const string QueueTrigger = "queueTrigger";
    private const string TimerTrigger = "timerTrigger";

    private static readonly Dictionary<string, string> _queueFunctions = new(StringComparer.Ordinal)
    {
        ["ProcessJobCompleted"] = MeteringNames.JobQueue,
        ["DeliverUsageAlert"] = MeteringNames.AlertQueue,
    };

    [Fact]
    public void StartStream_RealWorker_NamesTheWorkerIdItWasGiven()
    {
        Assert.Equal(worker.Worker.WorkerId, worker.StartStream.WorkerId);
    }

    [Fact]
    public void WorkerInit_RealWorker_SucceedsAndAnnouncesItsHttpUri()
    {
        Assert.Equal(StatusResult.Types.Status.Success, worker.Init.Result.Status);
        Assert.Equal(".NET", worker.Init.WorkerMetadata.RuntimeName);
        Assert.StartsWith("10.", worker.Init.WorkerMetadata.RuntimeVersion, StringComparison.Ordinal);
        Assert.True(worker.Init.Capabilities.ContainsKey("HttpUri"), string.Join(", ", worker.Init.Capabilities.Keys));
        Assert.Equal(Uri.UriSchemeHttp, worker.HttpUri.Scheme);
    }

    [Fact]
    public void FunctionMetadata_RealWorker_ListsExactlyTheRouteTableQueuesAndTimer()
    {
        Assert.Equal(StatusResult.Types.Status.Success, worker.Metadata.Result.Status);
        var expected = ApiRoutes.All.Select(route => route.Name)
            .Concat(_queueFunctions.Keys)
            .Append("SweepAlertOutbox")
            .Append("CloseStatements")
            .Append("ApplyRetention")
            .Append("ExportDailyParquet")
            .Append("WatchExpiringGrants")
            .Order(StringComparer.Ordinal);

        Assert.Equal(expected, worker.Metadata.FunctionMetadataResults.Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    public static TheoryData<string> HttpFunctions() => [.. ApiRoutes.All.Select(route => route.Name)];

    [Theory]
    [MemberData(nameof(HttpFunctions))]
    public void FunctionMetadata_HttpFunction_HasTheRouteMethodAndAuthOfTheRouteTable(string functionName)
    {
        var route = ApiRoutes.All.Single(r => r.Name == functionName);
        var function = worker.Function(functionName);
        var trigger = Trigger(function);

        Assert.Equal(HttpTrigger, trigger.GetProperty("type").GetString());
        Assert.Equal(route.Template, trigger.GetProperty("route").GetString());
        Assert.Equal([route.Method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()));
        var expectedAuth = route.Access == RouteAccess.Anonymous ? "Anonymous" : "Function";
        Assert.Equal(expectedAuth, trigger.GetProperty("authLevel").GetString());
        Assert.Contains(function.RawBindings, raw => Binding(raw) is var b && b.GetProperty("type").GetString() == "http" && b.GetProperty("direction").GetString() == "Out");
        Assert.Equal("UsageProcessor.Functions.dll", function.ScriptFile);
    }

    [Theory]
    [InlineData("ProcessJobCompleted")]
    [InlineData("DeliverUsageAlert")]
    public void FunctionMetadata_QueueFunction_ReadsItsQueueThroughTheStorageConnection(string functionName)
    {
        var trigger = Trigger(worker.Function(functionName));

        Assert.Equal(QueueTrigger, trigger.GetProperty("type").GetString());
        Assert.Equal(_queueFunctions[functionName], trigger.GetProperty("queueName").GetString());
        Assert.Equal(MeteringNames.StorageConnection, trigger.GetProperty("connection").GetString());
        Assert.Equal("String", trigger.GetProperty("dataType").GetString());
    }

    [Fact]
    public void FunctionMetadata_SweepAlertOutbox_RunsOnTheDocumentedSchedule()
    {
        var trigger = Trigger(worker.Function("SweepAlertOutbox"));

        Assert.Equal(TimerTrigger, trigger.GetProperty("type").GetString());
        Assert.Equal("0 */5 * * * *", trigger.GetProperty("schedule").GetString());
    }

    [Fact]
    public void FunctionMetadata_CloseStatements_RunsOnTheDocumentedSchedule()
    {
        var trigger = Trigger(worker.Function("CloseStatements"));

        Assert.Equal(TimerTrigger, trigger.GetProperty("type").GetString());
        Assert.Equal("0 */15 * * * *", trigger.GetProperty("schedule").GetString());
    }

    [Fact]
    public void AppOutput_QueueTriggers_HaveTheirHostExtensionDeployedWithTheApp()
    {
        // The host brings http and timer triggers itself; queue triggers need the WebJobs extension the SDK builds.
        using var extensions = JsonDocument.Parse(File.ReadAllText(Path.Combine(FunctionsWorkerProcess.AppDirectory, "extensions.json")));
        var queues = extensions.RootElement.GetProperty("extensions").EnumerateArray()
            .Single(e => e.GetProperty("name").GetString() == "AzureStorageQueues");

        Assert.True(File.Exists(Path.Combine(FunctionsWorkerProcess.AppDirectory, queues.GetProperty("hintPath").GetString()!)));
    }

    [Fact]
    public void AppOutput_HostJson_PrefixesRoutesAndDecodesQueueMessagesAsTheRouteTableAndPipelineExpect()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(FunctionsWorkerProcess.AppDirectory, "host.json")));
        var extensions = hostJson.RootElement.GetProperty("extensions");

        Assert.Equal(ApiRoutes.Prefix, extensions.GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.Equal("base64", extensions.GetProperty("queues").GetProperty("messageEncoding").GetString());
    }

    [Fact]
    public void FunctionLoad_EveryFunction_Succeeds()
    {
        Assert.Equal(worker.Metadata.FunctionMetadataResults.Count, worker.Loads.Count);
        Assert.All(worker.Loads, load => Assert.True(
            load.Result.Status == StatusResult.Types.Status.Success,
            $"{load.FunctionId}: {load.Result.Exception?.Message}"));
    }

    [Fact]
    public async Task ProcessJobCompleted_RealQueueMessage_BillsTheJobAndServesItsBalance()
    {
        var accountId = $"grpc-{Guid.NewGuid():N}"[..16];
        var body = JsonSerializer.Serialize(new
        {
            jobId = "job-1",
            accountId,
            completedAt = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture),
            domain = "document.invoice",
            detail = "hi",
            grounding = true,
            pages = 3,
            serviceTier = "priority",
        });

        // The pipeline enqueues base64 (host.json messageEncoding); the host receives, decodes and passes the text.
        var queue = new QueueClient(worker.StorageConnection, MeteringNames.JobQueue);
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(body)));
        var message = (await queue.ReceiveMessageAsync()).Value;
        var invocation = await worker.InvokeQueueAsync("ProcessJobCompleted", message);
        Assert.True(invocation.Result.Status == StatusResult.Types.Status.Success, invocation.Result.Exception?.ToString());
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);

        // Read back through the worker's HTTP pipeline; 32.4 credits is the README's worked quote of this job.
        using var balance = await InvokeHttpAsync("GetBalance", HttpMethod.Get, $"api/accounts/{accountId}/balance", ("accountId", accountId));
        Assert.Equal(HttpStatusCode.OK, balance.StatusCode);
        using var json = JsonDocument.Parse(await balance.Content.ReadAsStringAsync());
        Assert.Equal(32.4m, json.RootElement.GetProperty("usedCredits").GetDecimal());
        Assert.Equal(1, json.RootElement.GetProperty("jobs").GetInt32());
    }

    [Fact]
    public async Task SendEvents_GzipNdjsonThroughTheWorker_AcceptsGoodEventsWhoseEnvelopeTheQueueFunctionBills()
    {
        var accountId = $"grpc-ev-{Guid.NewGuid():N}"[..20];
        var at = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture);
        string Event(string jobId, string domain, bool grounding = false) =>
            JsonSerializer.Serialize(new { jobId, accountId, completedAt = at, domain, detail = "hi", grounding, pages = 3, serviceTier = "priority" });
        var ndjson = string.Join('\n', Event("ev-1", "document.invoice", grounding: true), Event("ev-2", "document.markdown", grounding: true), Event("ev-3", "document.invoice", grounding: true));
        using var compressed = new MemoryStream();
        using (var zip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest))
        {
            zip.Write(Encoding.UTF8.GetBytes(ndjson));
        }

        using var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-ndjson");
        content.Headers.ContentEncoding.Add("gzip");
        var queue = new QueueClient(worker.StorageConnection, MeteringNames.JobQueue);
        await queue.CreateIfNotExistsAsync();
        using var sent = await InvokeHttpAsync("SendEvents", HttpMethod.Post, "api/events", content);

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        using (var answer = JsonDocument.Parse(await sent.Content.ReadAsStringAsync()))
        {
            Assert.Equal(["accepted", "refused", "accepted"], answer.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()));
        }

        // The envelope the front door stored, handed to the queue function as the host would (decoded text).
        var message = (await queue.ReceiveMessagesAsync(32)).Value.Single(m => Encoding.UTF8.GetString(Convert.FromBase64String(m.MessageText)).Contains(accountId, StringComparison.Ordinal));
        var invocation = await worker.InvokeQueueAsync("ProcessJobCompleted", message);
        Assert.True(invocation.Result.Status == StatusResult.Types.Status.Success, invocation.Result.Exception?.ToString());
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);

        using var balance = await InvokeHttpAsync("GetBalance", HttpMethod.Get, $"api/accounts/{accountId}/balance", ("accountId", accountId));
        using var json = JsonDocument.Parse(await balance.Content.ReadAsStringAsync());
        Assert.Equal(2 * 32.4m, json.RootElement.GetProperty("usedCredits").GetDecimal());
        Assert.Equal(2, json.RootElement.GetProperty("jobs").GetInt32());
    }

    [Fact]
    public async Task Health_HttpRequestThroughTheWorkersUri_Answers200FromTheFunction()
    {
        using var response = await InvokeHttpAsync("Health", HttpMethod.Get, "api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"status\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetBalance_UnknownAccountThroughTheWorker_AnswersProblem404()
    {
        using var response = await InvokeHttpAsync("GetBalance", HttpMethod.Get, "api/accounts/nobody-here/balance", ("accountId", "nobody-here"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public void FunctionMetadata_ApplyRetention_RunsHourly()
    {
        var trigger = Trigger(worker.Function("ApplyRetention"));

        Assert.Equal(TimerTrigger, trigger.GetProperty("type").GetString());
        Assert.Equal("0 17 * * * *", trigger.GetProperty("schedule").GetString());
    }

    [Fact]
    public async Task WatchExpiringGrants_TimerInvocation_RunsHourlyAndSucceeds()
    {
        Assert.Equal("0 41 * * * *", Trigger(worker.Function("WatchExpiringGrants")).GetProperty("schedule").GetString());

        var invocation = await worker.InvokeAsync("WatchExpiringGrants", request =>
            request.InputData.Add(new ParameterBinding
            {
                Name = "timer",
                Data = new TypedData { Json = """{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}""" },
            }));

        Assert.True(invocation.Result.Status == StatusResult.Types.Status.Success, invocation.Result.Exception?.ToString());
    }

    [Fact]
    public async Task ApplyRetention_TimerInvocation_Succeeds()
    {
        var invocation = await worker.InvokeAsync("ApplyRetention", request =>
            request.InputData.Add(new ParameterBinding
            {
                Name = "timer",
                Data = new TypedData { Json = """{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}""" },
            }));

        Assert.True(invocation.Result.Status == StatusResult.Types.Status.Success, invocation.Result.Exception?.ToString());
    }

    [Fact]
    public async Task SweepAlertOutbox_TimerInvocation_Succeeds()
    {
        var invocation = await worker.InvokeAsync("SweepAlertOutbox", request =>
            request.InputData.Add(new ParameterBinding
            {
                Name = "timer",
                Data = new TypedData { Json = """{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}""" },
            }));

        Assert.True(invocation.Result.Status == StatusResult.Types.Status.Success, invocation.Result.Exception?.ToString());
    }

    [Fact]
    public async Task CloseStatements_TimerInvocation_Succeeds()
    {
        var invocation = await worker.InvokeAsync("CloseStatements", request =>
            request.InputData.Add(new ParameterBinding
            {
                Name = "timer",
                Data = new TypedData { Json = """{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}""" },
            }));

        Assert.True(invocation.Result.Status == StatusResult.Types.Status.Success, invocation.Result.Exception?.ToString());
    }

    private static JsonElement Trigger(RpcFunctionMetadata function) =>
        function.RawBindings.Select(Binding).Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    private static JsonElement Binding(string raw) => JsonDocument.Parse(raw).RootElement.Clone();

    /// <summary>
    /// What the host does for an HTTP function in the worker's ASP.NET Core integration: an invocation request over
    /// gRPC and, at the same time, the HTTP request itself proxied to the worker's HttpUri, correlated by
    /// <c>x-ms-invocation-id</c>.
    /// </summary>
    private Task<HttpResponseMessage> InvokeHttpAsync(string functionName, HttpMethod method, string path, params (string Name, string Value)[] routeValues) =>
        worker.InvokeHttpAsync(functionName, method, path, null, routeValues);

    private Task<HttpResponseMessage> InvokeHttpAsync(string functionName, HttpMethod method, string path, HttpContent content) =>
        worker.InvokeHttpAsync(functionName, method, path, content);
}
