using Spectre.Console.Testing;
using UsageProcessor.Host.Commands;

namespace UsageProcessor.Host.Tests;

public sealed class SendProgressTests
{
    [Fact]
    public async Task TrackAsync_ThreeLinesOneFailed_DrawsCountShareAndFailures()
    {
        var console = new TestConsole().Interactive();
        console.Profile.Width = 120;

        var result = await SendProgress.TrackAsync(console, 3, lineDone =>
        {
            lineDone(false);
            lineDone(true);
            lineDone(false);
            return Task.FromResult(42);
        });

        Assert.Equal(42, result);
        Assert.Contains("3/3", console.Output, StringComparison.Ordinal);
        Assert.Contains("100%", console.Output, StringComparison.Ordinal);
        Assert.Contains("Sending (1 failed)", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrackAsync_NoConsole_RunsTheWorkAndDrawsNothing()
    {
        var lines = 0;

        var result = await SendProgress.TrackAsync(null, 2, lineDone =>
        {
            lineDone(false);
            lineDone(true);
            lines = 2;
            return Task.FromResult("done");
        });

        Assert.Equal("done", result);
        Assert.Equal(2, lines);
    }
}
