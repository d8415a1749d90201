using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Polly;
using Polly.Simmy;
using Polly.Simmy.Fault;

namespace UsageProcessor.Metering.Storage;

/// <summary>
/// Polly's chaos strategies in the storage clients' HTTP pipeline: a transient fault instead of a request, or a lost
/// answer after a write that storage did apply, the failure that tests an exactly-once design hardest (the retry
/// finds its own write). Sits inside the SDK's pipeline so that the product's Polly retries see the faults as real.
/// </summary>
public sealed class StorageChaosPolicy : HttpPipelinePolicy
{
    private readonly ResiliencePipeline _beforeSend;
    private readonly ResiliencePipeline _afterWrite;

    /// <summary>The fault kinds, as counted in <c>usage_processor.chaos.faults</c>.</summary>
    public const string BeforeSend = "before-send";

    /// <inheritdoc cref="BeforeSend"/>
    public const string LostAnswer = "lost-answer";

    /// <summary>Creates the policy from <paramref name="options"/>; <paramref name="injected"/> hears of each fault by kind.</summary>
    public StorageChaosPolicy(StorageChaosOptions options, Action<string>? injected = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var random = options.Seed is { } seed ? new Random(seed) : Random.Shared;
        // Random is not thread-safe; requests run concurrently.
        Func<double> next = () => { lock (random) { return random.NextDouble(); } };
        _beforeSend = new ResiliencePipelineBuilder()
            .AddChaosFault(new ChaosFaultStrategyOptions
            {
                InjectionRate = options.FaultRate,
                Randomizer = next,
                FaultGenerator = static _ => new ValueTask<Exception?>(new RequestFailedException(503, "Chaos: storage unavailable (injected before the request)")),
                OnFaultInjected = _ =>
                {
                    injected?.Invoke(BeforeSend);
                    return default;
                },
            })
            .Build();
        _afterWrite = new ResiliencePipelineBuilder()
            .AddChaosFault(new ChaosFaultStrategyOptions
            {
                InjectionRate = options.LostResponseRate,
                Randomizer = next,
                FaultGenerator = static _ => new ValueTask<Exception?>(new IOException("Chaos: the answer was lost after storage applied the write")),
                OnFaultInjected = _ =>
                {
                    injected?.Invoke(LostAnswer);
                    return default;
                },
            })
            .Build();
    }

    /// <inheritdoc />
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        throw new NotSupportedException("The product calls storage asynchronously only.");

    /// <inheritdoc />
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        await _beforeSend.ExecuteAsync(async _ => await ProcessNextAsync(message, pipeline), message.CancellationToken);
        if (IsWrite(message.Request) && message.HasResponse && message.Response.Status < 400)
        {
            await _afterWrite.ExecuteAsync(static _ => ValueTask.CompletedTask, message.CancellationToken);
        }
    }

    private static bool IsWrite(Request request) => request.Method != RequestMethod.Get && request.Method != RequestMethod.Head;
}
