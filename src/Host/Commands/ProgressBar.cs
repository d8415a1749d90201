using System.Globalization;

namespace UsageProcessor.Host.Commands;

/// <summary>A one-line text progress bar, redrawn at most ten times a second; silent when the output is not a terminal.</summary>
public sealed class ProgressBar(TextWriter writer, long total, bool enabled, TimeProvider timeProvider)
{
    private const int Width = 30;
    private readonly Lock _lock = new();
    private long _lastDraw = long.MinValue;

    /// <summary>Draws <paramref name="done"/> of the total, unless the last drawing was very recent.</summary>
    public void Report(long done, long failed)
    {
        if (!enabled)
        {
            return;
        }

        lock (_lock)
        {
            var now = timeProvider.GetTimestamp();
            if (done < total && _lastDraw != long.MinValue && timeProvider.GetElapsedTime(_lastDraw, now) < TimeSpan.FromMilliseconds(100))
            {
                return;
            }

            _lastDraw = now;
            writer.Write('\r' + Render(done, failed, total));
            writer.Flush();
        }
    }

    /// <summary>Ends the bar's line.</summary>
    public void Complete()
    {
        if (enabled)
        {
            writer.WriteLine();
        }
    }

    /// <summary>The bar's text, for example <c>[#########.....] 120/300  40%</c>.</summary>
    public static string Render(long done, long failed, long total)
    {
        var share = total <= 0 ? 1d : Math.Clamp((double)done / total, 0, 1);
        var filled = (int)Math.Round(share * Width);
        var bar = new string('#', filled) + new string('.', Width - filled);
        var text = string.Create(CultureInfo.InvariantCulture, $"[{bar}] {done}/{total} {share * 100,3:0}%");
        return failed > 0 ? string.Create(CultureInfo.InvariantCulture, $"{text}  ({failed} failed)") : text;
    }
}
