using System.Globalization;
using Azure;
using Azure.Storage.Queues;
using Polly;
using Polly.Retry;
using Spectre.Console;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Host.Commands;

/// <summary><c>send &lt;file.jsonl&gt;</c>: sends one job-completed message per non-blank line of a JSON Lines file.</summary>
public static class SendCommand
{
    private const int Parallelism = 8;
    private const int FailuresShown = 10;

    // Up to three attempts, 0.5 s and then 1 s apart: an operator's tool waits briefly, then reports the line as failed.
    private static readonly ResiliencePipeline Retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(StoragePipelines.IsTransient),
            BackoffType = DelayBackoffType.Linear,
            Delay = TimeSpan.FromMilliseconds(500),
            MaxRetryAttempts = 2,
        })
        .Build();

    /// <summary>Runs <c>send</c> as parsed by <see cref="HostCommandLine"/>.</summary>
    public static async Task<int> RunAsync(SendArguments arguments, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var (path, shift) = (arguments.File, arguments.ShiftToToday);
        if (!File.Exists(path))
        {
            throw CommandException.Usage(Directory.Exists(path) ? $"{path} is a directory; send takes a JSON Lines file." : $"No such file: {path}");
        }

        var queue = CommandServices.Storage(arguments.Connection).Queues.GetQueueClient(MeteringNames.JobQueue);
        var progress = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected ? AnsiConsole.Console : null;
        var summary = await SendFileAsync(queue, path, shift, TimeProvider.System, progress, cancellationToken);

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
        QueueClient queue, string path, bool shiftToToday, TimeProvider timeProvider, IAnsiConsole? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var started = timeProvider.GetTimestamp();
        var total = File.ReadLines(path).Count(line => !string.IsNullOrWhiteSpace(line));
        var offset = shiftToToday ? CompletedAtShift.OffsetFor(File.ReadLines(path), timeProvider.GetUtcNow()) : TimeSpan.Zero;
        await Retry.ExecuteAsync(async ct => await queue.CreateIfNotExistsAsync(cancellationToken: ct), cancellationToken);

        var failures = new List<SendFailure>();
        int sent = 0, failed = 0;
        var lines = File.ReadLines(path)
            .Select((text, index) => (Text: text, Line: index + 1))
            .Where(l => !string.IsNullOrWhiteSpace(l.Text));
        await SendProgress.TrackAsync(progress, total, async lineDone =>
        {
            try
            {
                await Parallel.ForEachAsync(lines, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                    async (line, ct) =>
                    {
                        var body = CompletedAtShift.Apply(line.Text, offset);
                        try
                        {
                            await Retry.ExecuteAsync(async c => await queue.SendMessageAsync(body, c), ct);
                            Interlocked.Increment(ref sent);
                            lineDone(false);
                        }
                        catch (Exception e) when (e is RequestFailedException or HttpRequestException or IOException or TimeoutException)
                        {
                            Interlocked.Increment(ref failed);
                            lock (failures)
                            {
                                failures.Add(new SendFailure(line.Line, Reason(e)));
                            }

                            lineDone(true);
                        }
                    });
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped by the caller (Ctrl-C): the summary tells how far it got.
            }

            return 0;
        });

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
