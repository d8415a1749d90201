using System.Diagnostics;
using Azure.Storage.Queues;

namespace UsageProcessor.Throughput;

/// <summary>The raw ceiling: the same number of messages at the same depth, received 32 at a time and deleted, nothing else.</summary>
/// <remarks>Each receiver loops: receive 32, delete those 32 concurrently. One receiver is the bare drain of one consumer; four saturate Azurite.</remarks>
internal static class RawDrain
{
    /// <summary>Fills <paramref name="queue"/> with <paramref name="bodies"/>, then drains it with <paramref name="receivers"/> loops; returns messages per second.</summary>
    public static async Task<double> RunAsync(QueueClient queue, IReadOnlyList<string> bodies, int receivers, CancellationToken cancellationToken)
    {
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (body, ct) => await queue.SendMessageAsync(body, ct));

        var drained = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, receivers).Select(_ => Task.Run(async () =>
        {
            while (Volatile.Read(ref drained) < bodies.Count)
            {
                var messages = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1), cancellationToken)).Value;
                await Task.WhenAll(messages.Select(m => queue.DeleteMessageAsync(m.MessageId, m.PopReceipt, cancellationToken)));
                Interlocked.Add(ref drained, messages.Length);
            }
        }, cancellationToken)));
        return bodies.Count / clock.Elapsed.TotalSeconds;
    }
}
