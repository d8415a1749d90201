using Spectre.Console;
using Spectre.Console.Rendering;

namespace UsageProcessor.Host.Commands;

/// <summary>The progress bar of <c>send</c>, drawn by Spectre.Console: description, bar, lines done of total, share, elapsed time.</summary>
public static class SendProgress
{
    /// <summary>Runs <paramref name="work"/>, which calls the given callback once per line (true when that line failed).</summary>
    /// <param name="console">Where to draw, or null to draw nothing (output that is not a terminal).</param>
    /// <param name="total">How many lines there are.</param>
    /// <param name="work">The sending, reporting each finished line.</param>
    public static async Task<T> TrackAsync<T>(IAnsiConsole? console, int total, Func<Action<bool>, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (console is null)
        {
            return await work(_ => { });
        }

        return await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new CountColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("Sending", maxValue: Math.Max(total, 1));
                var failed = 0;
                var result = await work(lineFailed =>
                {
                    if (lineFailed)
                    {
                        task.Description = $"Sending ({Interlocked.Increment(ref failed)} failed)";
                    }

                    task.Increment(1);
                });
                // An empty file, or a send stopped early, still ends on a finished bar.
                task.StopTask();
                return result;
            });
    }

    /// <summary>Lines done of the total, for example <c>120/300</c>.</summary>
    private sealed class CountColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(FormattableString.Invariant($"{task.Value:0}/{task.MaxValue:0}"));
    }
}
