using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Operations;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Host.Commands;

/// <summary><c>replay rejected</c> and <c>replay poison</c>: hands set-aside job messages to <see cref="MessageReplayer"/>.</summary>
public static class ReplayCommand
{
    /// <summary>Runs <c>replay rejected</c> or <c>replay poison</c> as parsed by <see cref="HostCommandLine"/>.</summary>
    public static async Task<int> RunAsync(ReplayArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        var poison = arguments.Source == ReplaySource.Poison;
        var (limit, id) = (arguments.Limit, arguments.Id);
        int count;
        IReadOnlyList<KeptMessage> kept = [];
        var services = CommandServices.Create(arguments.Connection);
        await using (services)
        {
            await services.GetRequiredService<MeteringTables>().EnsureCreatedAsync(cancellationToken);
            var replayer = services.GetRequiredService<MessageReplayer>();
            if (poison)
            {
                var report = await replayer.ReplayPoisonAsync(limit, cancellationToken);
                count = report.Moved;
                kept = report.Kept;
            }
            else
            {
                count = await replayer.ReplayRejectedAsync(id, limit, cancellationToken);
            }
        }

        // Written after the services are disposed, so the replayer's log lines (flushed then) come first.
        if (poison)
        {
            await output.WriteLineAsync($"Moved {count} message(s) from {MeteringNames.JobPoisonQueue} back to {MeteringNames.JobQueue}.");
            foreach (var message in kept)
            {
                await output.WriteLineAsync($"Kept {message.MessageId} in {MeteringNames.JobPoisonQueue}: {message.Reason}");
            }
        }
        else if (id is not null && count == 0)
        {
            await output.WriteLineAsync($"No rejected message has the id '{id}'.");
            return 1;
        }
        else
        {
            await output.WriteLineAsync($"Sent {count} rejected message(s) back to {MeteringNames.JobQueue}.");
        }

        if (id is null && count + kept.Count == limit)
        {
            await output.WriteLineAsync($"The limit of {limit} was reached; more may remain (raise --limit or run again).");
        }

        return kept.Count > 0 ? 1 : 0;
    }
}
