using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Sandbox;

/// <summary>Refuses sandbox mode in a production environment or on Azure, as <see cref="StorageChaosGuard"/> refuses chaos.</summary>
/// <remarks>A clock moved forward closes real customers' periods and expires their grants early: never where they live.</remarks>
public sealed class SandboxGuard(IHostEnvironment? environment = null) : IValidateOptions<SandboxOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(StorageChaosGuard.AzureInstanceVariable)))
        {
            return ValidateOptionsResult.Fail($"{SandboxOptions.Section} mode moves the product's clock, which is refused on Azure ({StorageChaosGuard.AzureInstanceVariable} is set).");
        }

        return environment?.IsProduction() == true
            ? ValidateOptionsResult.Fail($"{SandboxOptions.Section} mode moves the product's clock, which is refused in the Production environment; run with DOTNET_ENVIRONMENT=Development.")
            : ValidateOptionsResult.Success;
    }
}
