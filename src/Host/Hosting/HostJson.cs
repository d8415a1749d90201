using Microsoft.Azure.WebJobs.Host;
using Microsoft.Extensions.Configuration.Memory;

namespace UsageProcessor.Host.Hosting;

/// <summary>Reads the Functions app's <c>host.json</c> into configuration, where the Functions host also exposes it.</summary>
/// <remarks>
/// The file's keys land under <c>AzureFunctionsJobHost</c> with the lowest precedence, so an app setting such as
/// <c>AzureFunctionsJobHost__extensions__queues__batchSize</c> overrides it in both hosts alike.
/// </remarks>
public static class HostJson
{
    /// <summary>The file name, next to the binaries.</summary>
    public const string FileName = "host.json";

    /// <summary>The configuration prefix of the file's keys.</summary>
    public const string Prefix = "AzureFunctionsJobHost";

    /// <summary>The section holding the queue trigger options.</summary>
    public const string QueuesSection = Prefix + ":extensions:queues";

    /// <summary>Adds the file at <paramref name="path"/> below every other configuration source.</summary>
    public static void AddTo(IConfigurationBuilder configuration, string path)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var file = new ConfigurationBuilder().AddJsonFile(path, optional: false, reloadOnChange: false).Build();
        var values = file.AsEnumerable()
            .Where(pair => pair.Value is not null)
            .Select(pair => KeyValuePair.Create($"{Prefix}:{pair.Key}", pair.Value))
            .ToList();
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = values });
    }

    /// <summary>Applies the queue options and the function timeout to the WebJobs host.</summary>
    public static void ConfigureWebJobs(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.Configure<QueuesOptions>(configuration.GetSection(QueuesSection));
        if (configuration.GetValue<TimeSpan?>($"{Prefix}:functionTimeout") is { } timeout)
        {
            services.Configure<JobHostFunctionTimeoutOptions>(o => o.Timeout = timeout);
        }
    }
}
