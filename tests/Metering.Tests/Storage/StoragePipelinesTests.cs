using System.Collections.Concurrent;
using Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Simmy;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Tests.Storage;

/// <summary>The keyed pipelines as the core registers them in Polly's registry; no storage is touched.</summary>
public sealed class StoragePipelinesTests
{
    [Fact]
    public async Task Contention_RaceLostTwiceThenWon_RunsThreeTimesAndLogsNoWarning()
    {
        var logs = new CapturingLoggerProvider();
        await using var services = Build(logs);
        var attempts = 0;

        var result = await services.GetRequiredService<StoragePipelines>().Contention.ExecuteAsync(_ =>
            ++attempts < 3 ? throw Lost(412) : ValueTask.FromResult("won"));

        Assert.Equal(("won", 3), (result, attempts));
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Contention_RaceLostOnEveryAttempt_RethrowsTheConflictAfterTheRetries()
    {
        await using var services = Build(new CapturingLoggerProvider(), o => o.MaxContentionRetries = 2);
        var attempts = 0;

        var e = await Assert.ThrowsAsync<UsageProcessor.Metering.Partition.PartitionConflictException>(async () =>
            await services.GetRequiredService<StoragePipelines>().Contention.ExecuteAsync(_ =>
            {
                attempts++;
                throw Lost(409);
            }));

        Assert.Equal((409, 3), (e.Status, attempts));
    }

    [Fact]
    public async Task Contention_OperatorsCommitAttempts_CapTheAttempts()
    {
        await using var services = Build(new CapturingLoggerProvider(),
            before: s => s.Configure<UsageProcessor.Metering.Configuration.MeteringOptions>(o => o.MaxCommitAttempts = 4));
        var attempts = 0;

        await Assert.ThrowsAsync<UsageProcessor.Metering.Partition.PartitionConflictException>(async () =>
            await services.GetRequiredService<StoragePipelines>().Contention.ExecuteAsync(_ =>
            {
                attempts++;
                throw Lost(412);
            }));

        Assert.Equal(4, attempts);
    }

    private static UsageProcessor.Metering.Partition.PartitionConflictException Lost(int status) =>
        new("acct", status, "account", rowExists: false, new RequestFailedException(status, "lost the race"));

    [Fact]
    public async Task Storage_TransientFailure_IsRetriedAndLoggedAsAWarning()
    {
        var logs = new CapturingLoggerProvider();
        await using var services = Build(logs);
        var attempts = 0;

        await services.GetRequiredService<StoragePipelines>().Storage.ExecuteAsync(_ =>
            ++attempts < 2 ? throw new RequestFailedException(503, "busy") : ValueTask.CompletedTask);

        Assert.Equal(2, attempts);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Category.StartsWith("Polly", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddResiliencePipeline_KeyRegisteredBeforeTheCore_IsTheOneTheCoreUses()
    {
        // What the chaos tests rely on: the registry keeps the first builder of a key.
        await using var services = Build(new CapturingLoggerProvider(), before: s => s.AddResiliencePipeline(StoragePipelines.AfterCommitKey,
            (b, context) => StoragePipelines.AddTransientRetry(b, context).AddChaosFault(1.0, () => new InvalidOperationException("chaos"))));

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await services.GetRequiredService<StoragePipelines>().AfterCommit.ExecuteAsync(_ => ValueTask.CompletedTask));
        await services.GetRequiredService<StoragePipelines>().Storage.ExecuteAsync(_ => ValueTask.CompletedTask);
    }

    private static ServiceProvider Build(
        CapturingLoggerProvider logs, Action<StoragePipelineOptions>? options = null, Action<IServiceCollection>? before = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
            new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" }).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        services.Configure<StoragePipelineOptions>(o =>
        {
            o.RetryDelay = TimeSpan.FromMilliseconds(1);
            o.ContentionDelay = TimeSpan.FromMilliseconds(1);
            options?.Invoke(o);
        });
        before?.Invoke(services);
        services.AddMeteringCore(configuration);
        return services.BuildServiceProvider();
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, LogLevel Level)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Entries);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<(string, LogLevel)> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue((category, logLevel));
        }
    }
}
