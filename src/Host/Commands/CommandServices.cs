using UsageProcessor.Metering;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Host.Commands;

/// <summary>The configuration and services of a command: the host's settings (appsettings.json, environment), no web host.</summary>
internal static class CommandServices
{
    /// <summary>The host's configuration, with <paramref name="connection"/> (when given) as the storage connection.</summary>
    public static IConfiguration Configuration(string? connection)
    {
        var builder = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables();
        if (!string.IsNullOrWhiteSpace(connection))
        {
            builder.AddInMemoryCollection([KeyValuePair.Create<string, string?>(MeteringNames.StorageConnection, connection)]);
        }

        return builder.Build();
    }

    /// <summary>The storage account of <see cref="Configuration"/>.</summary>
    public static StorageAccount Storage(string? connection)
    {
        CheckConnection(connection);
        return StorageAccount.FromConfiguration(Configuration(connection), MeteringNames.StorageConnection);
    }

    /// <summary>The metering core over <see cref="Configuration"/>, logging its own messages to the console.</summary>
    public static ServiceProvider Create(string? connection)
    {
        CheckConnection(connection);
        var configuration = Configuration(connection);
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(logging => logging
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.IncludeScopes = false;
            })
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("UsageProcessor", LogLevel.Information));
        services.AddMeteringCore(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = true });
    }

    // A --connection that is not a connection string is the operator's typing, not storage failing: the clients
    // are built here (no request is sent) so the mistake is named before anything runs.
    private static void CheckConnection(string? connection)
    {
        if (string.IsNullOrWhiteSpace(connection))
        {
            return;
        }

        try
        {
            _ = StorageAccount.FromConnectionString(connection);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or UriFormatException)
        {
            throw CommandException.Usage($"--connection is not a storage connection string: {e.Message.Split('\n', 2)[0].Trim()}", e);
        }
    }
}
