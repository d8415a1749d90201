namespace UsageProcessor.Metering.Tests.LayeringFixtures.Upper;

/// <summary>For <see cref="LayeringTests"/>.</summary>
internal sealed record Request(int Id);

/// <summary>For <see cref="LayeringTests"/>: names Lower only in a lambda inside an async method's body.</summary>
internal static class Caller
{
    public static async Task<int> CallAsync()
    {
        await Task.Yield();
        var next = () => Lower.Store.Next();
        return next();
    }
}
