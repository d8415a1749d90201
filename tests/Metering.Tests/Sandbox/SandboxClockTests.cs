using Microsoft.Extensions.Time.Testing;
using UsageProcessor.Metering.Sandbox;

namespace UsageProcessor.Metering.Tests.Sandbox;

public sealed class SandboxClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Move_ToThenAdvanceThenTimePasses_KeepsTheOffsetAndLetsTimeFlow()
    {
        var system = new FakeTimeProvider(Start);
        var clock = new SandboxClock(system);

        var set = clock.Move(new SandboxClockMove(new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.Zero), null));
        var advanced = clock.Move(new SandboxClockMove(null, TimeSpan.FromDays(1)));
        system.Advance(TimeSpan.FromMinutes(3));

        Assert.Equal(new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.Zero), set);
        Assert.Equal(set.AddDays(1), advanced);
        Assert.Equal(advanced.AddMinutes(3), clock.GetUtcNow());
        Assert.Equal(advanced - Start, clock.Offset);
    }

    [Theory]
    [InlineData(null, null, "to")]
    [InlineData("2026-12-01T00:00:00Z", 60.0, "to")]
    [InlineData("2026-11-26T12:00:00Z", null, "to")]
    [InlineData("2026-11-26T11:59:59Z", null, "to")]
    [InlineData("2028-01-01T00:00:00Z", null, "to")]
    [InlineData(null, 0.0, "advanceMinutes")]
    [InlineData(null, -5.0, "advanceMinutes")]
    [InlineData(null, 576001.0, "advanceMinutes")]
    [InlineData("2026-11-26T12:00:00.0000001Z", null, null)]
    [InlineData(null, 576000.0, null)]
    public void Check_Moves_RefuseBackwardsBothNeitherAndTooFar(string? to, double? advanceMinutes, string? field)
    {
        var move = new SandboxClockMove(
            to is null ? null : DateTimeOffset.Parse(to, System.Globalization.CultureInfo.InvariantCulture),
            advanceMinutes is { } m ? TimeSpan.FromMinutes(m) : null);

        Assert.Equal(field, SandboxClockRule.Check(Start, move)?.Field);
    }

    [Fact]
    public void Move_Backwards_ThrowsAndLeavesTheClock()
    {
        var clock = new SandboxClock(new FakeTimeProvider(Start));

        Assert.Throws<ArgumentException>(() => clock.Move(new SandboxClockMove(Start.AddDays(-1), null)));
        Assert.Equal(Start, clock.GetUtcNow());
    }
}
