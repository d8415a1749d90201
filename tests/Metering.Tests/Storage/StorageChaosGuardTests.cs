using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Tests.Storage;

public sealed class StorageChaosGuardTests
{
    [Theory]
    [InlineData("Production", 0.1, 0.0, false)]
    [InlineData("Production", 0.0, 0.1, false)]
    [InlineData("Production", 0.0, 0.0, true)]
    [InlineData("Development", 0.1, 0.1, true)]
    public void Validate_Environment_RefusesFaultsOnlyInProduction(string environment, double faultRate, double lostResponseRate, bool allowed)
    {
        var guard = new StorageChaosGuard(new Environment(environment));

        var result = guard.Validate(null, new StorageChaosOptions { FaultRate = faultRate, LostResponseRate = lostResponseRate });

        Assert.Equal(allowed, result.Succeeded);
        if (!allowed)
        {
            Assert.Contains(StorageChaosOptions.Section, result.FailureMessage, StringComparison.Ordinal);
        }
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "tests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
