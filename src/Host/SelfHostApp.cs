using Microsoft.Azure.WebJobs;
using UsageProcessor.Host.Functions;
using UsageProcessor.Host.Hosting;
using UsageProcessor.Host.Http;
using UsageProcessor.Metering;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Host;

/// <summary>Builds the self-host: the Functions app's queue, timer and HTTP functions in one ASP.NET Core process.</summary>
/// <remarks>
/// It adds nothing of its own: every function calls the same core method as its counterpart in <c>src/Functions</c>,
/// with the same routes, queue names, settings names and the queue options of the root <c>host.json</c>.
/// </remarks>
public static class SelfHostApp
{
    /// <summary>How long a stopping host waits for in-flight functions before it gives up on them.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(25);

    /// <summary>The types whose <see cref="FunctionNameAttribute"/> methods the WebJobs host indexes.</summary>
    public static IReadOnlyList<Type> WebJobsFunctionTypes { get; } = [typeof(QueueFunctions)];

    /// <summary>Creates the configured application without starting it.</summary>
    /// <param name="args">Command-line arguments (configuration overrides).</param>
    /// <param name="configure">Registers services before the core's own (a harness's storage clients or request counter), or null.</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        HostJson.AddTo(builder.Configuration, Path.Combine(AppContext.BaseDirectory, HostJson.FileName));

        var services = builder.Services;
        configure?.Invoke(services);
        services.AddMeteringCore(builder.Configuration);
        services.AddMeteringHttp();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        services.AddOptions<SelfHostOptions>()
            .Bind(builder.Configuration.GetSection(SelfHostOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.FunctionKeys.Any(k => !string.IsNullOrWhiteSpace(k)), $"{SelfHostOptions.Section}:FunctionKeys must hold at least one key.")
            .ValidateOnStart();

        // Hosted services start in registration order and stop in reverse: tables and queues exist before the queue
        // listeners start, and on shutdown the listeners drain (finish what they hold) before the WebJobs host stops.
        services.AddHostedService<StorageInitializer>();
        builder.Host.ConfigureWebJobs(webJobs =>
        {
            webJobs.AddAzureStorageCoreServices();
            webJobs.AddAzureStorageQueues();
        });
        services.AddSingleton<ITypeLocator>(new FixedTypeLocator(WebJobsFunctionTypes));
        GatedComponentFactory.Decorate(services);
        services.AddHostedService<QueueDrain>();
        HostJson.ConfigureWebJobs(services, builder.Configuration);
        services.AddTimerFunction<SweepAlertOutbox>();
        services.AddTimerFunction<CloseStatements>();
        services.AddTimerFunction<ApplyRetention>();
        services.AddTimerFunction<ExportDailyParquet>();
        services.AddTimerFunction<WatchExpiringGrants>();
        services.AddSingleton<UsageProcessor.Metering.Sandbox.ISandboxTimers, HostedSandboxTimers>();
        services.AddSelfHostTelemetry(builder.Configuration);

        var app = builder.Build();
        app.UseMiddleware<ProblemExceptionMiddleware>();
        app.UseMiddleware<EmptyAnswerProblemMiddleware>();
        app.UseRouting();
        app.UseMiddleware<FunctionKeyMiddleware>();
        app.MapFunctionRoutes();
        app.MapMetricsEndpoint();
        return app;
    }
}
