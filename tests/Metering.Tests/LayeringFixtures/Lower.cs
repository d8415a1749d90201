namespace UsageProcessor.Metering.Tests.LayeringFixtures.Lower;

/// <summary>For <see cref="LayeringTests"/>: names Upper only in a field's generic argument.</summary>
internal sealed class Store
{
    private readonly List<Upper.Request> _requests = [];

    public int Count => _requests.Count;

    public static int Next() => 1;
}
