namespace UsageProcessor.Functions.Tests.Infrastructure;

/// <summary>A worker whose every storage request may fail or lose its answer (the product's own chaos switch, outside Production).</summary>
public sealed class ChaosFunctionsWorkerFixture : FunctionsWorkerFixture
{
    protected override IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>
    {
        ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development",
        ["DOTNET_ENVIRONMENT"] = "Development",
        ["Metering__Chaos__FaultRate"] = "0.15",
        ["Metering__Chaos__LostResponseRate"] = "0.2",
        ["Metering__Chaos__Seed"] = "3",
    };
}
