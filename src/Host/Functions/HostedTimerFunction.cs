namespace UsageProcessor.Host.Functions;

/// <summary>A Functions timer trigger as a hosted service: runs its work every <see cref="Interval"/> until the host stops.</summary>
/// <remarks>
/// The first run is one interval after start-up. A failed run is logged and the next tick tries again, as the Functions
/// host does. Unlike the Functions timer (a singleton across instances), every self-host instance runs its own timer,
/// so the work must tolerate concurrent runs.
/// </remarks>
public abstract partial class HostedTimerFunction(TimeProvider timeProvider, ILogger logger) : BackgroundService
{
    /// <summary>The name of the timer function in the Functions app.</summary>
    public abstract string FunctionName { get; }

    /// <summary>The time between runs.</summary>
    public abstract TimeSpan Interval { get; }

    /// <summary>One run of the function's work.</summary>
    protected abstract Task RunAsync(CancellationToken cancellationToken);

    /// <summary>Runs the work once now, besides the ticks (sandbox mode, after the clock moves); the work tolerates concurrent runs.</summary>
    public Task RunNowAsync(CancellationToken cancellationToken) => RunAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await RunAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogFailed(e, FunctionName);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer function {FunctionName} failed; the next tick runs it again")]
    private partial void LogFailed(Exception exception, string functionName);
}

/// <summary>Sandbox mode's runner: every hosted timer function once, in registration order, logging each failure.</summary>
public sealed partial class HostedSandboxTimers(IEnumerable<HostedTimerFunction> timers, ILogger<HostedSandboxTimers> logger) : UsageProcessor.Metering.Sandbox.ISandboxTimers
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<(string Name, bool Succeeded)>> RunAllAsync(CancellationToken cancellationToken)
    {
        var runs = new List<(string, bool)>();
        foreach (var timer in timers)
        {
            try
            {
                await timer.RunNowAsync(cancellationToken);
                runs.Add((timer.FunctionName, true));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogFailed(e, timer.FunctionName);
                runs.Add((timer.FunctionName, false));
            }
        }

        return runs;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer function {FunctionName} failed after the sandbox clock moved; its next tick runs it again")]
    private partial void LogFailed(Exception exception, string functionName);
}

/// <summary>Registers timer functions.</summary>
public static class HostedTimerFunctionServiceCollectionExtensions
{
    /// <summary>Adds <typeparamref name="T"/> as a hosted service, also visible as a <see cref="HostedTimerFunction"/>.</summary>
    public static IServiceCollection AddTimerFunction<T>(this IServiceCollection services)
        where T : HostedTimerFunction
    {
        services.AddSingleton<T>();
        services.AddSingleton<HostedTimerFunction>(sp => sp.GetRequiredService<T>());
        services.AddHostedService(sp => sp.GetRequiredService<T>());
        return services;
    }
}
