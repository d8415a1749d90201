using Microsoft.Azure.WebJobs.Script.Grpc.Messages;
using UsageProcessor.Testing;
using MsgType = Microsoft.Azure.WebJobs.Script.Grpc.Messages.StreamingMessage.ContentOneofCase;

namespace UsageProcessor.Functions.Tests.Infrastructure;

/// <summary>
/// One real worker for the test class, brought up the way the Functions host does it: start stream, worker init,
/// function metadata (worker indexing), then one load request per function. Storage is a dedicated Azurite.
/// </summary>
public class FunctionsWorkerFixture : IAsyncLifetime
{
    /// <summary>How long the worker may take for one protocol step (it is a cold .NET process on a busy machine).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private AzuriteProcess? _azurite;
    private FunctionsHostEmulator? _host;
    private FunctionsWorkerProcess? _worker;

    public FunctionsHostEmulator Host => _host ?? throw new InvalidOperationException("Not initialized.");

    public FunctionsWorkerProcess Worker => _worker ?? throw new InvalidOperationException("Not initialized.");

    public string StorageConnection => _azurite?.ConnectionString ?? throw new InvalidOperationException("Not initialized.");

    /// <summary>The table names this worker bills into.</summary>
    public string LedgerTable { get; } = $"ledger{Guid.NewGuid():N}"[..20];

    public StartStream StartStream { get; private set; } = new();

    public WorkerInitResponse Init { get; private set; } = new();

    public FunctionMetadataResponse Metadata { get; private set; } = new();

    public IReadOnlyList<FunctionLoadResponse> Loads { get; private set; } = [];

    /// <summary>The URI the worker's ASP.NET Core integration listens on (its <c>HttpUri</c> capability).</summary>
    public Uri HttpUri => new(Init.Capabilities["HttpUri"]);

    /// <summary>The worker's metadata of one function, by name.</summary>
    public RpcFunctionMetadata Function(string name) =>
        Metadata.FunctionMetadataResults.SingleOrDefault(f => f.Name == name)
        ?? throw new InvalidOperationException($"The worker reported no function '{name}'.");

    /// <summary>App settings a derived fixture adds to (or changes in) the worker's environment.</summary>
    protected virtual IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartAsync("functions-tests-azurite-");
        _host = await FunctionsHostEmulator.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = _azurite.ConnectionString,
            ["Metering__LedgerTable"] = LedgerTable,
            ["Metering__RejectedTable"] = $"rejected{Guid.NewGuid():N}"[..20],
            ["Metering__OutboxTable"] = $"outbox{Guid.NewGuid():N}"[..20],
            // The exporter path runs as in Azure (connection string and Entra identity), sending nowhere reachable.
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] =
                "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/",
            ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = "ClientId=00000000-0000-0000-0000-000000000000;Authorization=AAD",
        };
        foreach (var (name, value) in ExtraSettings)
        {
            settings[name] = value;
        }

        _worker = FunctionsWorkerProcess.Start(_host.Address, settings);

        var start = await _host.ReceiveAsync(m => m.ContentCase == MsgType.StartStream, Patience, () => Worker.Log());
        StartStream = start.StartStream;

        var init = await _host.RequestAsync(
            new StreamingMessage
            {
                WorkerInitRequest = new WorkerInitRequest
                {
                    HostVersion = "4.1040.0.0",
                    WorkerDirectory = FunctionsWorkerProcess.AppDirectory,
                    FunctionAppDirectory = FunctionsWorkerProcess.AppDirectory,
                    Capabilities = { ["HandlesInvocationCancelMessage"] = "true" },
                },
            },
            MsgType.WorkerInitResponse, Patience, () => Worker.Log());
        Init = init.WorkerInitResponse;

        var metadata = await _host.RequestAsync(
            new StreamingMessage { FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = FunctionsWorkerProcess.AppDirectory } },
            MsgType.FunctionMetadataResponse, Patience, () => Worker.Log());
        Metadata = metadata.FunctionMetadataResponse;

        var loads = new List<FunctionLoadResponse>();
        foreach (var function in Metadata.FunctionMetadataResults)
        {
            var load = await _host.RequestAsync(
                new StreamingMessage { FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = function } },
                MsgType.FunctionLoadResponse, Patience, () => Worker.Log());
            loads.Add(load.FunctionLoadResponse);
        }

        Loads = loads;
    }

    /// <summary>Sends an invocation of a loaded function and waits for its response.</summary>
    public async Task<InvocationResponse> InvokeAsync(string functionName, Action<InvocationRequest> fill)
    {
        var request = NewInvocation(functionName);
        fill(request);
        var answer = await Host.RequestAsync(new StreamingMessage { InvocationRequest = request }, MsgType.InvocationResponse, Patience, () => Worker.Log());
        return answer.InvocationResponse;
    }

    /// <summary>Invokes a queue-triggered function with <paramref name="message"/> as the host hands it over: the decoded text and the trigger's metadata.</summary>
    /// <param name="functionName">The queue function.</param>
    /// <param name="message">The message as received from the queue (its text base64, as the product's queues hold it).</param>
    /// <param name="dequeueCount">The delivery's count, when a test plays redeliveries.</param>
    public Task<InvocationResponse> InvokeQueueAsync(string functionName, Azure.Storage.Queues.Models.QueueMessage message, long? dequeueCount = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(message.MessageText));
        return InvokeAsync(functionName, request =>
        {
            request.InputData.Add(new ParameterBinding { Name = "message", Data = new TypedData { String = text } });
            request.TriggerMetadata["Id"] = new TypedData { String = message.MessageId };
            request.TriggerMetadata["DequeueCount"] = new TypedData { Json = (dequeueCount ?? message.DequeueCount).ToString(System.Globalization.CultureInfo.InvariantCulture) };
            request.TriggerMetadata["PopReceipt"] = new TypedData { String = message.PopReceipt };
            request.TriggerMetadata["InsertionTime"] = new TypedData { Json = System.Text.Json.JsonSerializer.Serialize(message.InsertedOn) };
            request.TriggerMetadata["QueueTrigger"] = new TypedData { String = text };
        });
    }

    /// <summary>Invokes an HTTP function the way the host does with the ASP.NET Core integration: the invocation, then the request proxied to the worker's URI.</summary>
    public async Task<HttpResponseMessage> InvokeHttpAsync(
        string functionName, HttpMethod method, string path, HttpContent? content = null, params (string Name, string Value)[] routeValues)
    {
        ArgumentNullException.ThrowIfNull(method);
        var url = new Uri(HttpUri, path);
        var request = NewInvocation(functionName);
        request.InputData.Add(new ParameterBinding { Name = "request", Data = new TypedData { Http = new RpcHttp { Method = method.Method, Url = url.ToString() } } });
        foreach (var (name, value) in routeValues)
        {
            request.TriggerMetadata[name] = new TypedData { String = value };
        }

        var invocation = Host.RequestAsync(new StreamingMessage { InvocationRequest = request }, MsgType.InvocationResponse, Patience, () => Worker.Log());
        using var http = new HttpClient { Timeout = Patience };
        using var proxied = new HttpRequestMessage(method, url) { Content = content };
        proxied.Headers.Add("x-ms-invocation-id", request.InvocationId);
        var response = await http.SendAsync(proxied);
        await response.Content.LoadIntoBufferAsync();
        var answer = (await invocation).InvocationResponse;
        return answer.Result.Status == StatusResult.Types.Status.Success
            ? response
            : throw new InvalidOperationException($"{functionName} failed: {answer.Result.Exception}");
    }

    /// <summary>An invocation of a loaded function, with the W3C trace context the host always sends.</summary>
    public InvocationRequest NewInvocation(string functionName) => new()
    {
        InvocationId = Guid.NewGuid().ToString(),
        FunctionId = Function(functionName).FunctionId,
        TraceContext = new RpcTraceContext { TraceParent = $"00-{Guid.NewGuid():N}-{Guid.NewGuid():N}"[..52] + "-01" },
    };

    public async Task DisposeAsync()
    {
        if (_host is not null && _worker is { HasExited: false })
        {
            // The host's goodbye; the worker stops on its own, or is killed below.
            await _host.SendAsync(new StreamingMessage { WorkerTerminate = new WorkerTerminate { GracePeriod = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(2)) } });
        }

        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }

        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
