using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using UsageProcessor.Metering.Sandbox;

namespace UsageProcessor.Metering.Tests.Sandbox;

public sealed class SandboxGuardTests
{
    [Theory]
    [InlineData("Production", true, false)]
    [InlineData("Production", false, true)]
    [InlineData("Development", true, true)]
    [InlineData("Staging", true, true)]
    public void Validate_Environment_RefusesSandboxModeOnlyInProduction(string environment, bool enabled, bool allowed)
    {
        var guard = new SandboxGuard(new Environment(environment));

        var result = guard.Validate(null, new SandboxOptions { Enabled = enabled });

        Assert.Equal(allowed, result.Succeeded);
        if (!allowed)
        {
            Assert.Contains("DOTNET_ENVIRONMENT=Development", result.FailureMessage, StringComparison.Ordinal);
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
