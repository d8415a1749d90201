using System.Globalization;
using Azure;
using Azure.Storage.Queues;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Host.Commands;

/// <summary><c>send &lt;file.jsonl&gt;</c>: sends one job-completed message per non-blank line of a JSON Lines file.</summary>
public static class SendCommand
{
    private const int Parallelism = 8;
    private const int Attempts = 3;
    private const int FailuresShown = 10;

    /// <summary>Runs the command with the arguments after <c>send</c>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var parsed = CommandArguments.Parse(args, valued: ["connection"], flags: ["shift-to-today", "no-shift-to-today"]);
        var path = parsed.Positional is [var file] ? file : throw new CommandLineException("send takes one file: send <file.jsonl>.");
        var shift = parsed.Switch("shift-to-today", fallback: true);
        if (!File.Exists(path))
        {
            await error.WriteLineAsync($"No such file: {path}");
            return 1;
        }

        var queue = CommandServices.Storage(parsed.Value("connection")).Queues.GetQueueClient(MeteringNames.JobQueue);
        var progressEnabled = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var summary = await SendFileAsync(queue, path, shift, TimeProvider.System, progressEnabled ? output : null, cancellationToken);

        await output.WriteLineAsync(Describe(summary, queue.Name, shift));
        foreach (var failure in summary.Failures.Take(FailuresShown))
        {
            await error.WriteLineAsync($"  line {failure.Line}: {failure.Reason}");
        }

        if (summary.Failures.Count > FailuresShown)
        {
            await error.WriteLineAsync($"  … and {summary.Failures.Count - FailuresShown} more.");
        }

        return summary.Failed == 0 && summary.Sent == summary.Total ? 0 : 1;
    }

    /// <summary>Sends every non-blank line of <paramref name="path"/> to <paramref name="queue"/>, creating the queue if needed.</summary>
    /// <param name="queue">The job queue; its client must base64-encode, as the queue trigger expects.</param>
    /// <param name="path">The JSON Lines file.</param>
    /// <param name="shiftToToday">Whether to move every <c>completedAt</c> so the latest becomes a few minutes ago.</param>
    /// <param name="timeProvider">The clock for the shift and the elapsed time.</param>
    /// <param name="progress">Where to draw a progress bar, or null for none.</param>
    /// <param name="cancellationToken">Stops sending; lines not yet sent count as neither sent nor failed, and the summary says how far it got.</param>
    public static async Task<SendSummary> SendFileAsync(
        QueueClient queue, string path, bool shiftToToday, TimeProvider timeProvider, TextWriter? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var started = timeProvider.GetTimestamp();
        var total = File.ReadLines(path).Count(line => !string.IsNullOrWhiteSpace(line));
        var offset = shiftToToday ? CompletedAtShift.OffsetFor(File.ReadLines(path), timeProvider.GetUtcNow()) : TimeSpan.Zero;
        await WithRetriesAsync(async ct => await queue.CreateIfNotExistsAsync(cancellationToken: ct), cancellationToken);

        var bar = new ProgressBar(progress ?? TextWriter.Null, total, progress is not null, timeProvider);
        var failures = new List<SendFailure>();
        int sent = 0, failed = 0;
        var lines = File.ReadLines(path)
            .Select((text, index) => (Text: text, Line: index + 1))
            .Where(l => !string.IsNullOrWhiteSpace(l.Text));
        try
        {
            await Parallel.ForEachAsync(lines, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (line, ct) =>
                {
                    var body = CompletedAtShift.Apply(line.Text, offset);
                    try
                    {
                        await WithRetriesAsync(async c => await queue.SendMessageAsync(body, c), ct);
                        Interlocked.Increment(ref sent);
                    }
                    catch (Exception e) when (e is RequestFailedException or HttpRequestException or IOException or TimeoutException)
                    {
                        Interlocked.Increment(ref failed);
                        lock (failures)
                        {
                            failures.Add(new SendFailure(line.Line, Reason(e)));
                        }
                    }

                    bar.Report(Volatile.Read(ref sent) + Volatile.Read(ref failed), Volatile.Read(ref failed));
                });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the caller (Ctrl-C): the summary tells how far it got.
        }

        bar.Complete();
        failures.Sort((a, b) => a.Line.CompareTo(b.Line));
        return new SendSummary(total, sent, failed, failures, offset, timeProvider.GetElapsedTime(started));
    }

    /// <summary>The one-line summary printed after sending.</summary>
    public static string Describe(SendSummary summary, string queueName, bool shifted)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"Sent {summary.Sent} of {summary.Total} messages to '{queueName}', {summary.Failed} failed, in {summary.Elapsed.TotalSeconds:0.0} s.");
        if (shifted && summary.Offset != TimeSpan.Zero)
        {
            var sign = summary.Offset < TimeSpan.Zero ? "-" : "+";
            text += string.Create(CultureInfo.InvariantCulture, $" completedAt shifted by {sign}{summary.Offset.Duration():d\\.hh\\:mm\\:ss}.");
        }

        return text;
    }

    private static async Task WithRetriesAsync(Func<CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await send(cancellationToken);
                return;
            }
            catch (Exception e) when (attempt < Attempts && StoragePipelines.IsTransient(e))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt), cancellationToken);
            }
        }
    }

    private static string Reason(Exception e) => e switch
    {
        RequestFailedException r => string.Create(CultureInfo.InvariantCulture, $"storage answered {r.Status} ({r.ErrorCode})"),
        _ => e.GetType().Name,
    };
}

/// <summary>What a send achieved.</summary>
/// <param name="Total">Non-blank lines in the file.</param>
/// <param name="Sent">Messages the queue accepted.</param>
/// <param name="Failed">Lines that could not be sent.</param>
/// <param name="Failures">Each failed line with its reason, in line order.</param>
/// <param name="Offset">How far every <c>completedAt</c> was moved.</param>
/// <param name="Elapsed">How long sending took.</param>
public sealed record SendSummary(int Total, int Sent, int Failed, IReadOnlyList<SendFailure> Failures, TimeSpan Offset, TimeSpan Elapsed);

/// <summary>A line that could not be sent.</summary>
public sealed record SendFailure(int Line, string Reason);
