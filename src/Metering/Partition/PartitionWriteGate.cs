using System.Collections.Concurrent;

namespace UsageProcessor.Metering.Partition;

/// <summary>Lets one writer at a time change a partition's rows from this process; other instances still race through ETags.</summary>
/// <remarks>
/// Sixty concurrent writers of one account row would otherwise all read the same ETag and all but one retry, over
/// and over; queued here, each reads the row its predecessor wrote and succeeds at the first attempt.
/// </remarks>
public sealed class PartitionWriteGate
{
    private readonly ConcurrentDictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="write"/> once no other writer of <paramref name="partitionKey"/> in this process is running.</summary>
    public async Task<T> RunAsync<T>(string partitionKey, Func<CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentNullException.ThrowIfNull(write);
        Gate gate;
        while (true)
        {
            gate = _gates.GetOrAdd(partitionKey, static _ => new Gate());
            lock (gate)
            {
                // A gate removed by its last user is dead; take a fresh one.
                if (gate.Users >= 0)
                {
                    gate.Users++;
                    break;
                }
            }
        }

        try
        {
            await gate.Semaphore.WaitAsync(cancellationToken);
            try
            {
                return await write(cancellationToken);
            }
            finally
            {
                gate.Semaphore.Release();
            }
        }
        finally
        {
            lock (gate)
            {
                if (--gate.Users == 0)
                {
                    gate.Users = -1;
                    _gates.TryRemove(new KeyValuePair<string, Gate>(partitionKey, gate));
                }
            }
        }
    }

    private sealed class Gate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }
}
