using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using UsageProcessor.Host.Functions;

namespace UsageProcessor.Host.Tests;

public sealed class HostedTimerFunctionTests
{
    [Fact]
    public async Task ExecuteAsync_EachTick_RunsTheWorkAndSurvivesAFailedRun()
    {
        var time = new FakeTimeProvider();
        using var timer = new CountingTimer(time);
        timer.FailNext = true;
        await timer.StartAsync(CancellationToken.None);

        Assert.True(await NextRunAsync(time, timer));
        Assert.True(await NextRunAsync(time, timer));
        await timer.StopAsync(CancellationToken.None);

        Assert.Equal(2, timer.Runs);
        Assert.True(timer.ExecuteTask!.IsCompletedSuccessfully);
    }

    // ExecuteAsync starts in the background, so the first interval may begin a moment after StartAsync returns.
    private static async Task<bool> NextRunAsync(FakeTimeProvider time, CountingTimer timer)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            time.Advance(timer.Interval);
            if (await timer.Ran.WaitAsync(TimeSpan.FromMilliseconds(100)))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class CountingTimer(TimeProvider timeProvider) : HostedTimerFunction(timeProvider, NullLogger.Instance)
    {
        public SemaphoreSlim Ran { get; } = new(0);

        public int Runs { get; private set; }

        public bool FailNext { get; set; }

        public override string FunctionName => "Counting";

        public override TimeSpan Interval => TimeSpan.FromMinutes(5);

        protected override Task RunAsync(CancellationToken cancellationToken)
        {
            Runs++;
            Ran.Release();
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("A failed run.");
            }

            return Task.CompletedTask;
        }

        public override void Dispose()
        {
            Ran.Dispose();
            base.Dispose();
        }
    }
}
