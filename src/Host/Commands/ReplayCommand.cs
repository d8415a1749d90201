using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Operations;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Host.Commands;

/// <summary><c>replay rejected</c> and <c>replay poison</c>: hands set-aside job messages to <see cref="MessageReplayer"/>.</summary>
public static class ReplayCommand
{
    /// <summary>How many messages one run replays when no <c>--limit</c> is given.</summary>
    public const int DefaultLimit = 1000;

    /// <summary>Runs the command with the arguments after <c>replay</c>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var parsed = CommandArguments.Parse(args, valued: ["id", "limit", "connection"], flags: []);
        var what = parsed.Positional is [var word] ? word : throw new CommandLineException("replay takes 'rejected' or 'poison'.");
        if (what is not ("rejected" or "poison"))
        {
            throw new CommandLineException($"replay takes 'rejected' or 'poison', not '{what}'.");
        }

        if (what == "poison" && parsed.Has("id"))
        {
            throw new CommandLineException("--id applies to 'replay rejected' only.");
        }

        var limit = parsed.PositiveInt("limit", DefaultLimit);
        var id = parsed.Value("id");
        int count;
        IReadOnlyList<KeptMessage> kept = [];
        var services = CommandServices.Create(parsed.Value("connection"));
        await using (services)
        {
            await services.GetRequiredService<MeteringTables>().EnsureCreatedAsync(cancellationToken);
            var replayer = services.GetRequiredService<MessageReplayer>();
            if (what == "poison")
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
        if (what == "poison")
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
