using System.Text;
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
        var sent = 0;
        foreach (var record in records)
        {
            if (record.Body.Length == 0)
            {
                // Retention removed the body (zero data retention): nothing to send; the reasons and ids stay for people.
                LogNoBody(record.Id, record.BodyRemovedAt);
                continue;
            }

            // Send first, then forget: a crash in between leaves a record whose replay is a harmless duplicate.
            await tables.Jobs.SendMessageAsync(record.Body, cancellationToken);
            await rejected.DeleteAsync(source, record.Id, cancellationToken);
            LogReplayed("rejected", record.Id);
            sent++;
        }

        return sent;
    }

    /// <summary>Moves up to <paramref name="limit"/> messages from the poison queue back to the job queue.</summary>
    /// <remarks>
    /// Message text is moved as stored, never decoded and re-encoded. A message the job queue's trigger could not
    /// decode (not base64, or not UTF-8 inside) is not moved: it stays in the poison queue, visible again when the run
    /// ends (or fails), and the report names it with the reason. Nothing received is left hidden.
    /// </remarks>
    public async Task<PoisonReplayReport> ReplayPoisonAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var from = tables.UndecodedJobsPoison;
        var to = tables.UndecodedJobs;
        var held = new Dictionary<string, string>(StringComparer.Ordinal); // message id -> pop receipt, received and not deleted
        var kept = new List<KeptMessage>();
        var moved = 0;
        try
        {
            while (moved + kept.Count < limit)
            {
                var batch = await from.ReceiveMessagesAsync(Math.Min(32, limit - moved - kept.Count), HoldTime, cancellationToken);
                if (batch.Value.Length == 0)
                {
                    break;
                }

                foreach (var message in batch.Value)
                {
                    held[message.MessageId] = message.PopReceipt;
                }

                foreach (var message in batch.Value)
                {
                    var text = message.Body.ToString();
                    if (WhyUndecodable(text) is { } reason)
                    {
                        kept.Add(new KeptMessage(message.MessageId, reason));
                        LogKept(message.MessageId, reason);
                        continue;
                    }

                    await to.SendMessageAsync(text, cancellationToken);
                    await from.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                    held.Remove(message.MessageId);
                    LogReplayed(from.Name, message.MessageId);
                    moved++;
                }
            }
        }
        finally
        {
            // Kept messages were hidden only so that this run would not receive them twice.
            foreach (var (messageId, popReceipt) in held)
            {
                await from.UpdateMessageAsync(messageId, popReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: CancellationToken.None);
            }
        }

        return new PoisonReplayReport(moved, kept);
    }

    // Long enough to move one batch; a crash leaves unmoved messages hidden for at most this long.
    private static readonly TimeSpan HoldTime = TimeSpan.FromSeconds(30);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // The job queue's trigger decodes base64 and then UTF-8; a message failing either would only come back here.
    private static string? WhyUndecodable(string text)
    {
        var bytes = new byte[(text.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(text, bytes, out var written))
        {
            return "the message text is not base64, the job queue's message encoding; fix the producer and resend the job.";
        }

        try
        {
            _ = StrictUtf8.GetString(bytes, 0, written);
            return null;
        }
        catch (DecoderFallbackException)
        {
            return "the message decodes from base64 but not to UTF-8 text; fix the producer and resend the job.";
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kept poison message {MessageId} in the poison queue: {Reason}")]
    private partial void LogKept(string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected message {RejectedId} has no body to replay (removed by retention at {BodyRemovedAt}); its reasons and ids are kept")]
    private partial void LogNoBody(string rejectedId, DateTimeOffset? bodyRemovedAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed {Source} message {MessageId} to the job queue")]
    private partial void LogReplayed(string source, string messageId);
}

/// <summary>What a poison replay did: how many messages it moved and which it kept, with why.</summary>
public sealed record PoisonReplayReport(int Moved, IReadOnlyList<KeptMessage> Kept);

/// <summary>A poison message that a replay could not move and left in the poison queue.</summary>
public sealed record KeptMessage(string MessageId, string Reason);
