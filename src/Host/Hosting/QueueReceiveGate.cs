using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Host.Hosting;

/// <summary>Lets the queue listeners' receive requests through until the host stops, then holds new ones back.</summary>
/// <remarks>
/// A queue listener leases each batch it receives for ten minutes. If a stopping listener cancels a receive request
/// that the service has already answered, that batch stays leased, unseen by any instance, until the lease ends.
/// On shutdown <see cref="QueueDrain"/> first closes this gate and waits for the receives in flight to return, so
/// every received batch reaches the listener and is processed; a receive that starts after the gate closed is never
/// sent, and fails only when its listener cancels it.
/// </remarks>
public sealed class QueueReceiveGate : HttpPipelinePolicy
{
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private int _closed;

    /// <summary>Whether <see cref="CloseAsync"/> was called.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) == 1;

    /// <summary>Holds back receives from now on and waits until those in flight have returned.</summary>
    public Task CloseAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _closed, 1);
        if (Volatile.Read(ref _inFlight) == 0)
        {
            _idle.TrySetResult();
        }

        return _idle.Task.WaitAsync(cancellationToken);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!IsReceive(message.Request))
        {
            await ProcessNextAsync(message, pipeline);
            return;
        }

        if (!TryEnter())
        {
            await HoldBackAsync(message.CancellationToken);
        }

        try
        {
            await ProcessNextAsync(message, pipeline);
        }
        finally
        {
            Exit();
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!IsReceive(message.Request))
        {
            ProcessNext(message, pipeline);
            return;
        }

        if (!TryEnter())
        {
            HoldBackAsync(message.CancellationToken).GetAwaiter().GetResult();
        }

        try
        {
            ProcessNext(message, pipeline);
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>Whether <paramref name="request"/> receives (leases) messages: a GET of a queue's messages that is not a peek.</summary>
    public static bool IsReceive(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Method == RequestMethod.Get
            && request.Uri.Path.EndsWith("/messages", StringComparison.Ordinal)
            && !request.Uri.Query.Contains("peekonly=true", StringComparison.OrdinalIgnoreCase);
    }

    // A held-back receive is never sent: it ends when its listener cancels it (a request that cannot be cancelled fails at once).
    private static async Task HoldBackAsync(CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            throw new OperationCanceledException("The host is stopping: no more messages are received.");
        }

        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
    }

    private bool TryEnter()
    {
        Interlocked.Increment(ref _inFlight);
        if (!IsClosed)
        {
            return true;
        }

        Exit();
        return false;
    }

    private void Exit()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && IsClosed)
        {
            _idle.TrySetResult();
        }
    }
}

/// <summary>
/// Adds the <see cref="QueueReceiveGate"/> and the <see cref="QueueLeasePolicy"/> to the queue clients the WebJobs queue
/// extension creates, and a registered <see cref="StorageRequestCounter"/> to all its clients.
/// </summary>
internal sealed class GatedComponentFactory(AzureComponentFactory inner, QueueReceiveGate gate, QueueLeasePolicy lease, StorageRequestCounter? counter) : AzureComponentFactory
{
    public override TokenCredential CreateTokenCredential(IConfiguration configuration) => inner.CreateTokenCredential(configuration);

    public override object CreateClientOptions(Type optionsType, object serviceVersion, IConfiguration configuration)
    {
        var options = inner.CreateClientOptions(optionsType, serviceVersion, configuration);
        if (options is QueueClientOptions queueOptions)
        {
            queueOptions.AddPolicy(gate, HttpPipelinePosition.PerCall);
            // Per call: before the request is signed (shared-key signatures cover the query).
            queueOptions.AddPolicy(lease, HttpPipelinePosition.PerCall);
        }

        if (counter is not null && options is ClientOptions clientOptions)
        {
            clientOptions.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        }

        return options;
    }

    public override object CreateClient(Type clientType, IConfiguration configuration, TokenCredential credential, object clientOptions) =>
        inner.CreateClient(clientType, configuration, credential, clientOptions);

    /// <summary>Wraps the registered <see cref="AzureComponentFactory"/> (the WebJobs extensions create their clients with it).</summary>
    public static void Decorate(IServiceCollection services)
    {
        var original = services.LastOrDefault(d => d.ServiceType == typeof(AzureComponentFactory))
            ?? throw new InvalidOperationException("The WebJobs storage extensions registered no AzureComponentFactory to add the receive gate to.");
        services.Remove(original);
        services.AddSingleton<QueueReceiveGate>();
        services.AddSingleton<AzureComponentFactory>(sp => new GatedComponentFactory(
            original.ImplementationInstance as AzureComponentFactory
                ?? original.ImplementationFactory?.Invoke(sp) as AzureComponentFactory
                ?? (AzureComponentFactory)ActivatorUtilities.CreateInstance(sp, original.ImplementationType!),
            sp.GetRequiredService<QueueReceiveGate>(),
            new QueueLeasePolicy(sp.GetRequiredService<IOptions<SelfHostOptions>>().Value.QueueLease),
            sp.GetService<StorageRequestCounter>()));
    }
}
