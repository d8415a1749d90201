using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using UsageProcessor.Metering.Http.Sandbox;
using UsageProcessor.Metering.Sandbox;
using UsageProcessor.Metering.Tests.Infrastructure;

namespace UsageProcessor.Metering.Tests.Api;

/// <summary>The sandbox clock routes over a sandbox clock and a recording timer runner; no storage.</summary>
public sealed class SandboxApiTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static (ServiceProvider Services, RecordingTimers Timers) Sandbox(bool enabled)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var timers = new RecordingTimers();
        if (enabled)
        {
            timers.Clock = new SandboxClock(new FakeTimeProvider(Start));
            services.AddSingleton(timers.Clock);
            services.AddSingleton<ISandboxTimers>(timers);
        }

        services.AddSingleton<SandboxApi>();
        return (services.BuildServiceProvider(), timers);
    }

    [Fact]
    public async Task MoveAsync_ToAnInstant_MovesTheClockThenRunsEveryTimerAtTheNewTime()
    {
        var (services, timers) = Sandbox(enabled: true);
        await using var owned = services;

        var response = await ApiCall.InvokeAsync(services, r => services.GetRequiredService<SandboxApi>().MoveAsync(r, default), "POST", """{"to":"2026-12-04T00:00:00Z"}""");
        var read = await ApiCall.InvokeAsync(services, _ => services.GetRequiredService<SandboxApi>().GetAsync());

        Assert.Equal(200, response.Status);
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.Zero), response.Json.GetProperty("now").GetDateTimeOffset());
        Assert.Equal(["a", "b"], response.Json.GetProperty("timersRun").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["b"], response.Json.GetProperty("timersFailed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.Zero)], timers.RanAt);
        Assert.Equal((200, 7 * 86400m + 12 * 3600m), (read.Status, read.Json.GetProperty("offsetSeconds").GetDecimal()));
    }

    [Theory]
    [InlineData("""{}""", "to")]
    [InlineData("""{"to":"2026-11-01T00:00:00Z"}""", "to")]
    [InlineData("""{"to":"2026-12-01T00:00:00Z","advanceMinutes":5}""", "to")]
    [InlineData("""{"advanceMinutes":0}""", "advanceMinutes")]
    [InlineData("""{"advanceMinutes":"ten"}""", "advanceMinutes")]
    public async Task MoveAsync_BadMove_Answers400NamingTheFieldAndRunsNoTimer(string body, string field)
    {
        var (services, timers) = Sandbox(enabled: true);
        await using var owned = services;

        var response = await ApiCall.InvokeAsync(services, r => services.GetRequiredService<SandboxApi>().MoveAsync(r, default), "POST", body);

        Assert.Equal(400, response.Status);
        Assert.NotEmpty(response.ErrorsFor(field));
        Assert.Empty(timers.RanAt);
    }

    [Fact]
    public async Task GetAndMove_SandboxModeOff_Answer404()
    {
        var (services, _) = Sandbox(enabled: false);
        await using var owned = services;

        var read = await ApiCall.InvokeAsync(services, _ => services.GetRequiredService<SandboxApi>().GetAsync());
        var move = await ApiCall.InvokeAsync(services, r => services.GetRequiredService<SandboxApi>().MoveAsync(r, default), "POST", """{"advanceMinutes":5}""");

        Assert.Equal((404, 404), (read.Status, move.Status));
        Assert.Contains("Sandbox__Enabled=true", read.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private sealed class RecordingTimers : ISandboxTimers
    {
        public List<DateTimeOffset> RanAt { get; } = [];

        public SandboxClock? Clock { get; set; }

        public Task<IReadOnlyList<(string Name, bool Succeeded)>> RunAllAsync(CancellationToken cancellationToken)
        {
            RanAt.Add(Clock?.GetUtcNow() ?? default);
            return Task.FromResult<IReadOnlyList<(string Name, bool Succeeded)>>([("a", true), ("b", false)]);
        }
    }
}
