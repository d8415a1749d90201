namespace UsageProcessor.Metering.Admission;

/// <summary>A sliding log of admission times over a rolling window: exact, unlike fixed-minute counters.</summary>
/// <remarks>
/// An admission at time t counts while <c>now - window &lt; t</c>, so a window never holds more than the limit.
/// Stored as 8-byte tick counts in one binary property: 100 admissions take 800 bytes of the 64 KiB allowed.
/// </remarks>
public sealed class RateWindow
{
    private readonly List<long> _admittedTicks;

    private RateWindow(List<long> admittedTicks) => _admittedTicks = admittedTicks;

    /// <summary>Admissions still inside the window after the last <see cref="Slide"/>.</summary>
    public int Count => _admittedTicks.Count;

    /// <summary>An empty window.</summary>
    public static RateWindow Empty() => new([]);

    /// <summary>Reads a window written by <see cref="ToBytes"/>.</summary>
    public static RateWindow FromBytes(ReadOnlySpan<byte> bytes)
    {
        var ticks = new List<long>(bytes.Length / sizeof(long));
        for (var i = 0; i + sizeof(long) <= bytes.Length; i += sizeof(long))
        {
            ticks.Add(BitConverter.ToInt64(bytes.Slice(i, sizeof(long))));
        }

        ticks.Sort();
        return new RateWindow(ticks);
    }

    /// <summary>Forgets admissions that left the window ending at <paramref name="now"/>.</summary>
    public void Slide(DateTimeOffset now, TimeSpan window)
    {
        var cutoff = (now - window).UtcTicks;
        _admittedTicks.RemoveAll(t => t <= cutoff);
    }

    /// <summary>Records an admission at <paramref name="now"/>.</summary>
    public void Admit(DateTimeOffset now) => _admittedTicks.Add(now.UtcTicks);

    /// <summary>When the oldest admission leaves the window, freeing a place; null when the window is empty.</summary>
    public DateTimeOffset? NextRelease(TimeSpan window) =>
        _admittedTicks.Count == 0 ? null : new DateTimeOffset(_admittedTicks[0], TimeSpan.Zero) + window;

    /// <summary>The window as bytes for the admission row.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[_admittedTicks.Count * sizeof(long)];
        for (var i = 0; i < _admittedTicks.Count; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(i * sizeof(long)), _admittedTicks[i]);
        }

        return bytes;
    }
}
