using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace UsageProcessor.Metering.Storage;

/// <summary>Refuses <see cref="StorageChaosOptions"/> that inject faults in a production environment or on Azure.</summary>
public sealed class StorageChaosGuard(IHostEnvironment? environment = null) : IValidateOptions<StorageChaosOptions>
{
    /// <summary>Set by App Service and Azure Functions on every instance they run.</summary>
    public const string AzureInstanceVariable = "WEBSITE_INSTANCE_ID";

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, StorageChaosOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsEnabled)
        {
            return ValidateOptionsResult.Success;
        }

        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(AzureInstanceVariable)))
        {
            return ValidateOptionsResult.Fail($"{StorageChaosOptions.Section} injects storage faults, which is refused on Azure ({AzureInstanceVariable} is set).");
        }

        return environment?.IsProduction() == true
            ? ValidateOptionsResult.Fail($"{StorageChaosOptions.Section} injects storage faults, which is refused in the Production environment; run with DOTNET_ENVIRONMENT=Development.")
            : ValidateOptionsResult.Success;
    }
}
