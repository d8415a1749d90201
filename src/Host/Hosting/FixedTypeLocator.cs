using Microsoft.Azure.WebJobs;

namespace UsageProcessor.Host.Hosting;

/// <summary>Tells the WebJobs host exactly which classes hold functions, instead of letting it scan assemblies.</summary>
internal sealed class FixedTypeLocator(IReadOnlyList<Type> types) : ITypeLocator
{
    public IReadOnlyList<Type> GetTypes() => types;
}
