namespace UsageProcessor.Metering.Tests.LayeringFixtures.Side;

/// <summary>For <see cref="LayeringTests"/>: uses Lower, and nothing uses it.</summary>
internal static class Reader
{
    public static int Read() => Lower.Store.Next();
}
