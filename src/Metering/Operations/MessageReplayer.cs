using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Operations;

/// <summary>Sends set-aside job messages back to the job queue: rejected records, or the poison queue's messages.</summary>
/// <remarks>Replaying is safe: a job that was billed in the meantime is recognised as a duplicate and not billed again.</remarks>
public sealed partial class MessageReplayer(
    MeteringTables tables,
    RejectedJobStore rejected,
    IOptions<MeteringOptions> options,
    ILogger<MessageReplayer> logger)
{
    /// <summary>Re-enqueues rejected messages (all, or the one with <paramref name="id"/>) and removes their records.</summary>
    /// <returns>How many messages were sent back.</returns>
    public async Task<int> ReplayRejectedAsync(string? id, int limit, CancellationToken cancellationToken)
    {
        var source = options.Value.JobQueue;
        IReadOnlyList<RejectedJob> records = id is null
            ? await rejected.ListAsync(source, limit, cancellationToken)
            : (await rejected.GetAsync(source, id, cancellationToken)) is { } one ? [one] : [];
        foreach (var record in records)
        {
            // Send first, then forget: a crash in between leaves a record whose replay is a harmless duplicate.
            await tables.Jobs.SendMessageAsync(record.Body, cancellationToken);
            await rejected.DeleteAsync(source, record.Id, cancellationToken);
            LogReplayed("rejected", record.Id);
        }

        return records.Count;
    }

    /// <summary>Moves up to <paramref name="limit"/> messages from the poison queue back to the job queue.</summary>
    /// <returns>How many messages were moved.</returns>
    public async Task<int> ReplayPoisonAsync(int limit, CancellationToken cancellationToken) =>
        await MoveAsync(tables.JobsPoison, tables.Jobs, limit, cancellationToken);

    private async Task<int> MoveAsync(QueueClient from, QueueClient to, int limit, CancellationToken cancellationToken)
    {
        var moved = 0;
        while (moved < limit)
        {
            var batch = await from.ReceiveMessagesAsync(Math.Min(32, limit - moved), TimeSpan.FromMinutes(5), cancellationToken);
            if (batch.Value.Length == 0)
            {
                break;
            }

            foreach (var message in batch.Value)
            {
                await to.SendMessageAsync(message.Body, cancellationToken: cancellationToken);
                await from.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                LogReplayed(from.Name, message.MessageId);
                moved++;
            }
        }

        return moved;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed {Source} message {MessageId} to the job queue")]
    private partial void LogReplayed(string source, string messageId);
}
