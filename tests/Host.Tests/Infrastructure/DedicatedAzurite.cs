using UsageProcessor.Testing;

namespace UsageProcessor.Host.Tests.Infrastructure;

/// <summary>An Azurite of this test class alone, on free loopback ports with its data in a temporary folder.</summary>
/// <remarks>
/// The self-host listens on the fixed queue name <c>job-completed</c>, so it cannot share an account with the other
/// test assemblies, which use unique names in the Azurite that test.sh starts: it always gets its own emulator.
/// </remarks>
public sealed class DedicatedAzurite : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    /// <summary>The connection string of the running Azurite.</summary>
    public string ConnectionString => _azurite?.ConnectionString ?? throw new InvalidOperationException("Azurite has not started.");

    public async Task InitializeAsync() => _azurite = await AzuriteProcess.StartAsync("host-tests-azurite-");

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
