using UsageProcessor.Testing;

namespace UsageProcessor.Metering.Tests.Infrastructure;

/// <summary>One real Azurite for the test run: the one test.sh started, or one started here on free ports.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>The variable test.sh sets to the connection string of the Azurite it started.</summary>
    public const string ConnectionVariable = "METERING_TEST_STORAGE";

    private AzuriteProcess? _azurite;
    private int _names;

    /// <summary>The connection string of the running Azurite.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var fromScript = Environment.GetEnvironmentVariable(ConnectionVariable);
        if (!string.IsNullOrWhiteSpace(fromScript))
        {
            ConnectionString = fromScript;
            return;
        }

        _azurite = await AzuriteProcess.StartAsync("metering-tests-azurite-");
        ConnectionString = _azurite.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    /// <summary>Table and queue names no other test class uses.</summary>
    public TestNames UniqueNames(string hint)
    {
        var n = Interlocked.Increment(ref _names);
        var stem = new string([.. hint.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(12)]);
        var id = $"{stem}{n}x{Guid.NewGuid():N}"[..Math.Min(stem.Length + 12, 30)];
        return new TestNames($"t{id}", $"q{id}");
    }

    /// <summary>The connection string of an Azurite listening on the given ports.</summary>
    public static string Connection(int blob, int queue, int table) => AzuriteProcess.Connection(blob, queue, table);

    /// <summary>A TCP port nobody listens on right now.</summary>
    public static int FreePort() => AzuriteProcess.FreePort();
}

/// <summary>Names for one test class's tables (<see cref="TablePrefix"/>) and queues (<see cref="QueuePrefix"/>).</summary>
public sealed record TestNames(string TablePrefix, string QueuePrefix);

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
